import { describe, expect, test } from 'vitest';
import { parseLifecycleLine } from './observe.ts';

describe('lifecycle log lines', () => {
  test('a JSON lifecycle line becomes an event, with the exit code when present', () => {
    expect(parseLifecycleLine('{"event":"exit","atMs":1700000000123,"pod":"app-1","code":0}', 'x')).toEqual({ pod: 'app-1', event: 'exit', atMs: 1700000000123, code: 0 });
    expect(parseLifecycleLine('{"event":"sigterm","atMs":5}', 'app-2')).toEqual({ pod: 'app-2', event: 'sigterm', atMs: 5 });
  });
  test('other output is ignored', () => {
    expect(parseLifecycleLine('listening on 8080', 'x')).toBeUndefined();
    expect(parseLifecycleLine('{"level":"info"}', 'x')).toBeUndefined();
    expect(parseLifecycleLine('{broken', 'x')).toBeUndefined();
  });
});
