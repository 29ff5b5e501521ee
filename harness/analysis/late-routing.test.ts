import { describe, expect, test } from 'vitest';
import type { PodEvent, RequestRecord, Timeline } from '../model/run-data.ts';
import { aggregateServed } from '../model/served.ts';
import { totalsOf } from '../load/accounted-load.ts';
import { evaluateTimeline } from './evaluate.ts';
import { lateRoutingOf } from './late-routing.ts';
import { podFacts } from './pod-facts.ts';

// Pod a terminates at T, its endpoint leaves at T + 200; b has been ready since 1 000. Routing lag: 2 000 ms.
const T = 10_000;
const LAG = 2_000;
const pods = (bReadyAtMs = 1_000): PodEvent[] => [
  { pod: 'a', kind: 'ready', atMs: 500 }, { pod: 'b', kind: 'ready', atMs: bReadyAtMs },
  { pod: 'a', kind: 'terminating', atMs: T }, { pod: 'a', kind: 'endpoint-not-ready', atMs: T + 200 },
];
let seq = 0;
const served = (startMs: number, pod: string, reusedSocket: boolean): RequestRecord => ({ seq: seq++, client: 'fresh', path: '/', startMs, endMs: startMs + 3, outcome: 'ok', status: 200, bytes: 20, reusedSocket, pod });
const timeline = (requests: RequestRecord[], extra: Partial<Timeline> = {}, podEvents = pods()): Timeline => ({
  triggerAtMs: T, startMs: 0, endMs: 60_000, gracePeriodSeconds: 15, requests: [], served: aggregateServed(requests, 0), streams: [], lifecycle: [], pods: podEvents, routingLagMs: LAG, ...extra,
});
const late = (t: Timeline) => lateRoutingOf(t, podFacts(t));

describe('late routing: the cluster did not keep up', () => {
  test('a new connection served by the terminating pod past the routing lag, while b was ready, is a starved cluster', () => {
    expect(late(timeline([served(T + 200 + LAG + 1_500, 'a', false), served(T + 5_000, 'b', false)]))).toEqual({ pod: 'a', lagMs: 3_500, limitMs: LAG, source: 'header' });
  });

  test('it voids a would-be fail (error, no class) but never a pass: a late route only adds failures', () => {
    const requests = [served(T + 200 + LAG + 1_500, 'a', false), served(T + 5_000, 'b', false)];
    const analyse = (t: Timeline) => evaluateTimeline(t, totalsOf(t.requests, t.served), { maxFailedRequests: 0, maxDrainMs: 0 });
    const passing = analyse(timeline(requests));
    expect(passing.verdict).toBe('pass');
    expect(passing.starved).toBeUndefined();
    const refused: RequestRecord = { seq: seq++, client: 'fresh', path: '/', startMs: T + 3_000, endMs: T + 3_001, outcome: 'failed', bytes: 0, reusedSocket: false, errorCode: 'ECONNREFUSED' };
    const failing = analyse({ ...timeline(requests), requests: [refused] });
    expect(failing.models.strict).toMatchObject({ verdict: 'error', primaryClass: undefined });
    expect(failing.verdict).toBe('error');
    expect(failing.couldNotJudge).toContain('the cluster was starved: kube-proxy still sent a new connection to a 3.5 s after its endpoint left the Service');
    // The same failure without the late route is a fail with its class (the control).
    const control = analyse({ ...timeline([served(T + 5_000, 'b', false)]), requests: [refused] });
    expect(control.verdict).toBe('fail');
    expect(control.primaryClass).toBeDefined();
  });

  test('negative controls: within the lag, on a reused keep-alive connection, or before the endpoint left, nothing is said', () => {
    expect(late(timeline([served(T + 200 + LAG - 100, 'a', false)]))).toBeUndefined();
    expect(late(timeline([served(T + 8_000, 'a', true)]))).toBeUndefined();
    expect(late(timeline([served(T + 100, 'a', false)]))).toBeUndefined();
  });

  test('no other pod ready for a whole routing lag (kube-proxy may fall back to terminating endpoints): nothing is said', () => {
    expect(late(timeline([served(T + 5_000, 'a', false)], {}, pods(T + 4_000)))).toBeUndefined();
    expect(late(timeline([served(T + 5_000, 'a', false)], {}, pods(T + 2_000)))?.pod).toBe('a');
  });

  test('through the ingress the proxy routes, not kube-proxy: not judged here', () => {
    expect(late(timeline([served(T + 5_000, 'a', false)], { via: 'ingress' }))).toBeUndefined();
  });

  test('conntrack: a connection that appeared after the sample before it, past the lag, counts for apps that name no pod', () => {
    const connections = (firstSeenAtMs: number): Timeline['connections'] => ({ source: 'conntrack', sampleIntervalMs: 250, maxSampleGapMs: 400, pods: { a: [{ firstSeenAtMs, lastSeenAtMs: firstSeenAtMs + 10, activeAtMs: [firstSeenAtMs] }] } });
    expect(late(timeline([], { connections: connections(T + 200 + LAG + 1_000) }))).toEqual({ pod: 'a', lagMs: LAG + 600, limitMs: LAG, source: 'conntrack' });
    // Seen 400 ms after the lag: it may have started just before the lag ran out (the sample gap is 400 ms).
    expect(late(timeline([], { connections: connections(T + 200 + LAG + 400) }))).toBeUndefined();
  });
});
