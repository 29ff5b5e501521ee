import { describe, expect, test } from 'vitest';
import { describeSilence, idleTimeout, STREAM_IDLE } from './stream-idle.ts';

describe('stream idle timeout', () => {
  test('a stated heartbeat allows three missed beats, never under the floor', () => {
    expect(idleTimeout({ heartbeatIntervalMs: 200 }, undefined).ms).toBe(STREAM_IDLE.floorMs);
    expect(idleTimeout({ heartbeatIntervalMs: 5_000 }, 50)).toEqual({ ms: 15_000, basis: 'max(3 × heartbeat 5000 ms, 2000 ms)' });
  });

  test('without a stated heartbeat: the fixed bound, raised only by intervals seen (a burst at open cannot lower it)', () => {
    expect(idleTimeout({}, undefined)).toEqual({ ms: 30_000, basis: 'no heartbeat stated' });
    expect(idleTimeout({}, 3).ms).toBe(30_000);
    expect(idleTimeout({}, 20_000)).toEqual({ ms: 60_000, basis: '3 × longest interval seen, 20000 ms' });
  });

  test('a configured timeout wins', () => {
    expect(idleTimeout({ idleTimeoutMs: 750, heartbeatIntervalMs: 200 }, 10_000)).toEqual({ ms: 750, basis: 'as configured' });
  });

  test('the detail says whether the stream was silent or never answered', () => {
    expect(describeSilence({ opened: true, silentMs: 2_004, timeoutMs: 2_000, basis: 'max(3 × heartbeat 200 ms, 2000 ms)' })).toBe('no data for 2004 ms (idle timeout 2000 ms: max(3 × heartbeat 200 ms, 2000 ms))');
    expect(describeSilence({ opened: false, silentMs: 5_001, timeoutMs: 5_000, basis: 'response timeout' })).toBe('no response within 5000 ms (response timeout)');
  });
});
