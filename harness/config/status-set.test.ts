import { describe, expect, test } from 'vitest';
import { okStatusPredicate } from '../load/request-policy.ts';
import { parseStatusSet } from './status-set.ts';

const statusAccepted = (ranges: ReturnType<typeof parseStatusSet>, status: number) => okStatusPredicate(ranges)(status);

describe('--ok-status', () => {
  test('ranges and single codes', () => {
    const set = parseStatusSet('200-299, 304');
    expect(statusAccepted(set, 204)).toBe(true);
    expect(statusAccepted(set, 304)).toBe(true);
    expect(statusAccepted(set, 301)).toBe(false);
    expect(statusAccepted(set, 503)).toBe(false);
  });
  test('the default accepts 2xx and 3xx only', () => {
    const set = parseStatusSet('200-399');
    expect([200, 204, 302, 399].every((s) => statusAccepted(set, s))).toBe(true);
    expect([199, 400, 502].some((s) => statusAccepted(set, s))).toBe(false);
  });
  test('bad input names the flag', () => {
    expect(() => parseStatusSet('2xx')).toThrow(/--ok-status "2xx": "2xx" is not a status/);
    expect(() => parseStatusSet('399-200')).toThrow(/--ok-status/);
    expect(() => parseStatusSet('')).toThrow(/--ok-status is empty/);
  });
});
