import { describe, expect, test } from 'vitest';
import { estimateClockOffset, measureOffset, offsetBounds, probeSendTimes, type DateSample } from './clock-offset.ts';

/** A server whose clock runs `offsetMs` ahead of the harness, answering after `latencyMs` each way, in virtual time. */
function simulatedServer(offsetMs: number, latencyMs: number, startMs = 1_700_000_000_123) {
  let nowMs = startMs;
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    deps: {
      now: () => nowMs,
      sleepUntil: async (atMs: number) => {
        nowMs = Math.max(nowMs, atMs);
      },
      probe: async () => {
        requests += 1;
        nowMs += latencyMs;
        const serverDateMs = Math.floor((nowMs + offsetMs) / 1000) * 1000;
        nowMs += latencyMs;
        return serverDateMs;
      },
    },
  };
}

describe('clock offset from the Date header', () => {
  test('one sample bounds the offset to one second plus its round trip', () => {
    const sample: DateSample = { sentMs: 10_400, receivedMs: 10_410, serverDateMs: 12_000 };
    expect(offsetBounds([sample])).toEqual({ lowMs: 1_590, highMs: 2_600 });
    expect(estimateClockOffset([sample])).toEqual({ offsetMs: 2_095, uncertaintyMs: 505, samples: 1 });
  });

  test('two samples either side of a server tick pin the offset to their spacing', () => {
    // Server read …:11 for a request sent at 9 000 ms, and …:12 for one answered at 9 030 ms: the tick (12 000 on
    // the server) happened within [9 000, 9 030] on the harness clock.
    const before: DateSample = { sentMs: 9_000, receivedMs: 9_010, serverDateMs: 11_000 };
    const after: DateSample = { sentMs: 9_020, receivedMs: 9_030, serverDateMs: 12_000 };
    const estimate = estimateClockOffset([before, after]);
    expect(estimate?.offsetMs).toBe(2_985);
    expect(estimate?.uncertaintyMs).toBe(15);
  });

  test('contradictory samples fall back to the quickest one', () => {
    const quick: DateSample = { sentMs: 5_000, receivedMs: 5_002, serverDateMs: 5_000 };
    const stepped: DateSample = { sentMs: 6_000, receivedMs: 6_020, serverDateMs: 9_000 };
    expect(offsetBounds([quick, stepped])).toBeUndefined();
    expect(estimateClockOffset([quick, stepped])).toEqual({ offsetMs: 499, uncertaintyMs: 501, samples: 2 });
  });

  test('probes are timed so that the server ticks mid-request for offsets spread over the window', () => {
    const times = probeSendTimes({ lowMs: 0, highMs: 1_000 }, 50_000, 4, 2);
    expect(times).toEqual([50_199, 50_399, 50_599, 50_799]);
    // Each aims the request midpoint at a tick: time + 1 ms + candidate offset is a whole second.
    const candidates = [800, 600, 400, 200];
    times.forEach((t, i) => expect((t + 1 + (candidates[i] ?? 0)) % 1000).toBe(0));
  });

  test.each([
    { offsetMs: 0, latencyMs: 1 },
    { offsetMs: 1_234, latencyMs: 2 },
    { offsetMs: -37_777, latencyMs: 5 },
    { offsetMs: 499, latencyMs: 20 },
  ])('measures an offset of $offsetMs ms at $latencyMs ms one-way latency to within its stated uncertainty', async ({ offsetMs, latencyMs }) => {
    const server = simulatedServer(offsetMs, latencyMs);
    const start = server.deps.now();
    const measured = await measureOffset(server.deps);
    expect(Math.abs(measured.offsetMs - offsetMs)).toBeLessThanOrEqual(measured.uncertaintyMs);
    expect(measured.uncertaintyMs).toBeLessThanOrEqual(Math.max(10, 2 * latencyMs + 5));
    expect(server.deps.now() - start).toBeLessThanOrEqual(3_000);
    expect(server.requests).toBeLessThanOrEqual(21);
  });

  test('a failing probe after the first keeps the single-sample estimate', async () => {
    const server = simulatedServer(250, 1);
    let calls = 0;
    const deps = { ...server.deps, probe: async () => (calls++ === 0 ? server.deps.probe() : Promise.reject(new Error('down'))) };
    const measured = await measureOffset(deps);
    expect(measured.samples).toBe(1);
    expect(measured.uncertaintyMs).toBeGreaterThanOrEqual(500);
    expect(Math.abs(measured.offsetMs - 250)).toBeLessThanOrEqual(measured.uncertaintyMs);
  });

  test('no answer at all is an error', async () => {
    await expect(measureOffset({ now: () => 0, sleepUntil: async () => undefined, probe: () => Promise.reject(new Error('refused')) })).rejects.toThrow('refused');
  });
});
