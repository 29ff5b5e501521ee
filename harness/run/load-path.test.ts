import { describe, expect, test } from 'vitest';
import type { ProxyAccess } from '../ingress/index.ts';
import { createProxyEvidence } from './load-path.ts';

const access = (atMs: number, more: Partial<ProxyAccess>): ProxyAccess => ({ atMs, durationMs: 2, status: 200, proxyGenerated: false, ...more });

describe('the proxy evidence folded from its access log', () => {
  test('requests count per upstream pod and 100 ms; the proxy\'s own failures are kept with the pod it tried', () => {
    const podByIp = new Map([['10.244.1.5', 'app-a'], ['10.244.2.7', 'app-b']]);
    const evidence = createProxyEvidence(1_000, () => podByIp);
    evidence.add(access(1_010, { upstream: '10.244.1.5:8080', originStatus: 200 }));
    evidence.add(access(1_020, { upstream: '10.244.1.5:8080', originStatus: 200 }));
    evidence.add(access(1_250, { upstream: '10.244.2.7:8080', originStatus: 200 }));
    // An IP no pod holds any more: the app's own header names the pod.
    evidence.add(access(1_260, { upstream: '10.244.9.9:8080', podHeader: 'app-c', originStatus: 200 }));
    evidence.add(access(1_300, { status: 502, upstream: '10.244.1.5:8080', proxyGenerated: true }));
    evidence.add(access(1_310, { status: 503, proxyGenerated: true }));
    // The client left while the proxy waited on a pod: kept; one that left before any upstream was picked: not.
    evidence.add(access(1_320, { status: 499, upstream: '10.244.1.5:8080', proxyGenerated: true, durationMs: 5_000 }));
    evidence.add(access(1_330, { status: 499, proxyGenerated: true }));
    // Routing misses (404) are no failure of the drain.
    evidence.add(access(1_340, { status: 404, proxyGenerated: true }));
    const result = evidence.result('traefik test', 12);
    expect(result).toEqual({
      source: 'access-log', proxy: 'traefik test', lines: 12, originMs: 1_000, bucketMs: 100,
      routed: { 'app-a': { counts: [2], lastAtMs: 1_020 }, 'app-b': { counts: [0, 0, 1], lastAtMs: 1_250 }, 'app-c': { counts: [0, 0, 1], lastAtMs: 1_260 } },
      errors: [
        { atMs: 1_300, durationMs: 2, status: 502, upstream: '10.244.1.5:8080', pod: 'app-a' },
        { atMs: 1_310, durationMs: 2, status: 503 },
        { atMs: 1_320, durationMs: 5_000, status: 499, upstream: '10.244.1.5:8080', pod: 'app-a' },
      ],
    });
  });

  test('a log that showed no request is no evidence, with the reason', () => {
    expect(createProxyEvidence(0, () => new Map()).result('traefik test', 3, 'the log stream ended')).toEqual({ source: 'none', reason: 'the proxy\'s access log showed no request (the log stream ended)' });
  });
});
