import { describe, expect, test } from 'vitest';
import { totalsOf } from '../load/accounted-load.ts';
import type { PodEvent, ProxyError, RequestRecord, Timeline } from '../model/run-data.ts';
import { createServed } from '../model/served.ts';
import { proxyErrorsOf, requestClassifier } from './classify.ts';
import { evaluateTimeline } from './evaluate.ts';

// Through the ingress: pod a terminates at T and leaves the endpoints at T+200; b serves throughout.
const T = 10_000;
const pods: PodEvent[] = [
  { pod: 'a', kind: 'ready', atMs: 0 }, { pod: 'b', kind: 'ready', atMs: 0 },
  { pod: 'a', kind: 'terminating', atMs: T }, { pod: 'a', kind: 'endpoint-not-serving', atMs: T + 200 },
  { pod: 'a', kind: 'terminated', atMs: T + 1_000, exitCode: 0 },
];
let seq = 0;
const status = (startMs: number, code: number): RequestRecord => ({ seq: seq++, client: 'keepalive', path: '/', startMs, endMs: startMs + 4, outcome: 'failed', status: code, bytes: 11, reusedSocket: true, errorCode: 'HTTP_STATUS' });

function timeline(requests: RequestRecord[], errors: ProxyError[]): Timeline {
  return {
    triggerAtMs: T, startMs: 0, endMs: 60_000, gracePeriodSeconds: 15, requests, served: createServed(0), streams: [], lifecycle: [], pods, via: 'ingress',
    proxy: { source: 'access-log', proxy: 'traefik test', lines: 100, originMs: 0, bucketMs: 100, routed: {}, errors },
  };
}

describe('errors the ingress proxy made itself', () => {
  test('a 502 the proxy logged for a terminating upstream is proxy-upstream-failed; a 502 the app sent stays bad-status', () => {
    const fromProxy = status(T + 2_000, 502);
    const fromApp = status(T + 2_500, 502);
    const t = timeline([fromProxy, fromApp], [{ atMs: T + 2_001, durationMs: 1, status: 502, upstream: '10.244.1.5:8080', pod: 'a' }]);
    const classify = requestClassifier(t);
    expect(classify.classify(fromProxy)).toBe('proxy-upstream-failed');
    expect(classify.classify(fromApp)).toBe('bad-status');
    expect(proxyErrorsOf(t).size).toBe(1);
  });

  test('the proxy\'s failed attempts on a terminating pod prove the drain was exercised, even when it routed it nothing that succeeded', () => {
    const failures = [status(T + 300, 502), status(T + 320, 502)];
    const t = timeline(failures, failures.map((r) => ({ atMs: r.startMs + 1, durationMs: 1, status: 502, upstream: '10.244.1.5:8080', pod: 'a' })));
    const a = evaluateTimeline(t, totalsOf(t.requests, t.served), { maxFailedRequests: 0, maxDrainMs: 0 });
    expect(a.coverage).toMatchObject({ exercised: true, note: '2 failed requests hit terminating pods' });
    expect(a.primaryClass).toBe('proxy-upstream-failed');
  });

  test('a 503 with no upstream while pods are ready is proxy-no-endpoints; one proxy error never explains two responses', () => {
    const first = status(T + 3_000, 503);
    const second = status(T + 3_010, 503);
    const t = timeline([first, second], [{ atMs: T + 3_002, durationMs: 0, status: 503 }]);
    const a = evaluateTimeline(t, totalsOf(t.requests, t.served), { maxFailedRequests: 0, maxDrainMs: 0 });
    expect(a.failures.byClass).toEqual({ 'proxy-no-endpoints': 1, 'bad-status': 1 });
  });

  test('a client timeout while the proxy waited on a terminating upstream (499 in its log) is the proxy\'s failure; an unpaired one is not kube-proxy\'s', () => {
    const timedOut: RequestRecord = { seq: seq++, client: 'fresh', path: '/', startMs: T + 1_000, endMs: T + 6_000, outcome: 'failed', bytes: 0, reusedSocket: false, errorCode: 'TIMEOUT' };
    const unpaired: RequestRecord = { ...timedOut, seq: seq++, startMs: T + 1_500, endMs: T + 6_500 };
    const t = timeline([timedOut, unpaired], [{ atMs: T + 1_001, durationMs: 5_000, status: 499, upstream: '10.244.1.5:8080', pod: 'a' }]);
    const classify = requestClassifier(t);
    expect(classify.classify(timedOut)).toBe('proxy-upstream-failed');
    expect(classify.classify(unpaired)).toBe('other');
  });

  test('a proxy error far from any termination is outside-termination; a status mismatch is never paired', () => {
    const early = status(2_000, 502);
    const mismatched = status(T + 2_000, 504);
    const t = timeline([early, mismatched], [{ atMs: 2_001, durationMs: 1, status: 502, upstream: '10.244.2.7:8080', pod: 'b' }, { atMs: T + 2_001, durationMs: 1, status: 502, pod: 'a' }]);
    const classify = requestClassifier(t);
    expect(classify.classify(early)).toBe('outside-termination');
    expect(classify.classify(mismatched)).toBe('bad-status');
  });
});
