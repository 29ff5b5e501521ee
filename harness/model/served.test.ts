import { describe, expect, test } from 'vitest';
import { addServed, aggregateServed, createServed, servedCount, servedPerBucket } from './served.ts';

describe('served aggregate', () => {
  test('counts by pod, socket kind and 100 ms bucket; queries count whole buckets at or after fromMs', () => {
    const served = createServed(1_000);
    addServed(served, { pod: 'a', startMs: 1_010, endMs: 1_020, reusedSocket: false });
    addServed(served, { pod: 'a', startMs: 1_150, endMs: 1_160, reusedSocket: true });
    addServed(served, { pod: 'b', startMs: 1_250, endMs: 1_300, reusedSocket: true });
    addServed(served, { startMs: 900, reusedSocket: false }); // before the origin: first bucket, no pod
    expect(served.total).toBe(4);
    expect(servedCount(served, { pod: 'a' })).toBe(2);
    expect(servedCount(served, { fresh: true })).toBe(2);
    expect(servedCount(served, { fromMs: 1_100 })).toBe(2);
    expect(servedCount(served, { fromMs: 1_101 })).toBe(1);
    expect(servedCount(served, { pod: 'b', fresh: false, fromMs: 1_200 })).toBe(1);
    expect(served.pods.a?.lastEndMs).toBe(1_160);
    expect(servedPerBucket(served)).toEqual([2, 1, 1]);
  });

  test('memory follows buckets, not requests: a million requests in one second are ten counters', () => {
    const served = createServed(0);
    for (let i = 0; i < 1_000_000; i++) addServed(served, { pod: 'a', startMs: i % 1_000, reusedSocket: true });
    expect(served.pods.a?.reused).toHaveLength(10);
    expect(served.total).toBe(1_000_000);
  });

  test('aggregateServed keeps only ok records', () => {
    const served = aggregateServed([{ outcome: 'ok', startMs: 5, reusedSocket: false, pod: 'x' }, { outcome: 'failed', startMs: 6, reusedSocket: false }], 0);
    expect(served.total).toBe(1);
  });
});
