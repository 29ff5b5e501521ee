import { describe, expect, test } from 'vitest';
import { parseSlowMs, slowWorkDoneAtMs } from './slow-work.ts';

describe('/slow?ms=', () => {
  test('absent means the default; a number is taken as is', () => {
    expect(parseSlowMs(null, 1000, 5000)).toBe(1000);
    expect(parseSlowMs('250', 1000, 5000)).toBe(250);
  });

  test('garbage and values over the cap are errors', () => {
    expect(parseSlowMs('abc', 1000, 5000)).toEqual({ error: expect.stringContaining("'abc'") });
    expect(parseSlowMs('5001', 1000, 5000)).toEqual({ error: expect.stringContaining('≤ 5000') });
  });
});

describe('slow work timing', () => {
  test('without SIGTERM the work ends on its own', () => {
    expect(slowWorkDoneAtMs(1000, 500, undefined, 60_000)).toBe(1500);
  });

  test('variants that do not hold work are unaffected by SIGTERM', () => {
    expect(slowWorkDoneAtMs(1000, 500, 1200, 0)).toBe(1500);
  });

  test('slow-drain holds work in flight at SIGTERM until sigterm + hold', () => {
    expect(slowWorkDoneAtMs(1000, 500, 1200, 60_000)).toBe(61_200);
  });

  test('work that already ended before SIGTERM is not held', () => {
    expect(slowWorkDoneAtMs(1000, 500, 1600, 60_000)).toBe(1500);
  });
});
