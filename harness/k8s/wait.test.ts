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
});
