import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../model/run-data.ts';
import { okStatusPredicate, requestBytes, retryable } from './request-policy.ts';

describe('request policy', () => {
  test('GET is a bare head; POST carries a small JSON body with its length; fresh requests ask to close', () => {
    const base = new URL('http://127.0.0.1:30080');
    expect(requestBytes(base, { method: 'GET', path: '/a?b=1', close: false }).toString('latin1')).toBe('GET /a?b=1 HTTP/1.1\r\nHost: 127.0.0.1:30080\r\n\r\n');
    expect(requestBytes(base, { method: 'POST', path: '/', close: true }).toString('latin1')).toBe(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1:30080\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"drainspec":1}',
    );
  });

  test('ok-status ranges become a lookup: bounds inclusive, junk statuses never ok', () => {
    const isOk = okStatusPredicate([[200, 299], [304, 304]]);
    expect([199, 200, 299, 300, 304, 305, NaN, 1.5].map(isOk)).toEqual([false, true, true, false, true, false, false, false]);
    expect(okStatusPredicate()(399)).toBe(true);
    expect(okStatusPredicate()(400)).toBe(false);
  });

  // The retrying client model, case by case.
  test('only an idempotent first attempt that failed on a reused socket before any response byte is retried', () => {
    const failedGet: RequestRecord = { seq: 1, client: 'keepalive', path: '/', startMs: 0, endMs: 1, outcome: 'failed', bytes: 0, errorCode: 'EPIPE', reusedSocket: true };
    expect(retryable(failedGet)).toBe(true);
    expect(retryable({ ...failedGet, method: 'HEAD' })).toBe(true);
    expect(retryable({ ...failedGet, method: 'POST' })).toBe(false);
    expect(retryable({ ...failedGet, reusedSocket: false })).toBe(false);
    expect(retryable({ ...failedGet, retryOf: 0 })).toBe(false);
    for (const errorCode of ['TRUNCATED', 'TIMEOUT', 'HTTP_STATUS', 'ECONNREFUSED', 'OTHER'] as const) expect(retryable({ ...failedGet, errorCode }), errorCode).toBe(false);
  });
});
