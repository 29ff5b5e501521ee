import { describe, expect, test } from 'vitest';
import { WaitTimeoutError, waitFor } from './wait.ts';

describe('waitFor', () => {
  test('returns the first defined value', async () => {
    let calls = 0;
    const value = await waitFor(async () => (++calls >= 3 ? 'ready' : undefined), { what: 'x', timeoutMs: 2_000, intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });
  test('times out naming the condition and the last error', async () => {
    const wait = waitFor(async () => {
      throw new Error('connection refused');
    }, { what: 'pods ready', timeoutMs: 20, intervalMs: 5 });
    await expect(wait).rejects.toThrow(WaitTimeoutError);
    await expect(wait).rejects.toThrow(/waiting for pods ready \(last error: connection refused\)/);
  });
  test('a probe that never settles cannot stretch the deadline', async () => {
    const startedAt = Date.now();
    await expect(waitFor(() => new Promise<undefined>(() => undefined), { what: 'a hung API', timeoutMs: 100 })).rejects.toThrow(/timed out after 0s waiting for a hung API/);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
  test('an abort ends the wait at once, during a hung probe or between polls', async () => {
    const during = new AbortController();
    const hung = waitFor(() => new Promise<undefined>(() => undefined), { what: 'x', timeoutMs: 60_000, signal: during.signal });
    setTimeout(() => during.abort(new Error('interrupted by SIGINT')), 20);
    await expect(hung).rejects.toThrow('interrupted by SIGINT');
    const between = new AbortController();
    const startedAt = Date.now();
    const polling = waitFor(async () => undefined, { what: 'x', timeoutMs: 60_000, intervalMs: 30_000, signal: between.signal });
    setTimeout(() => between.abort(new Error('stop')), 20);
    await expect(polling).rejects.toThrow('stop');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
});
