import { describe, expect, test } from 'vitest';
import type { PodEvent, RequestRecord, Timeline } from '../model/run-data.ts';
import { DEFAULT_ROUTING_LAG_MS as ROUTING_LAG_MS, KILL_WINDOW, routingLagFor } from './classify.ts';
import { checkExpectation, evaluateTimeline, stallLimitFor, starvationOf } from './evaluate.ts';
import { totalsOf } from '../load/accounted-load.ts';
import { aggregateServed } from '../model/served.ts';

// A rollout of pod a → b at t=10 000: b ready at 9 000, a terminating at 10 000, endpoint gone at 10 200.
const T = 10_000;
function rollout(extraPods: PodEvent[] = []): PodEvent[] {
  return [
    { pod: 'a', kind: 'created', atMs: 0 }, { pod: 'a', kind: 'ready', atMs: 1_000 },
    { pod: 'b', kind: 'created', atMs: 8_000 }, { pod: 'b', kind: 'ready', atMs: 9_000 },
    { pod: 'a', kind: 'terminating', atMs: T }, { pod: 'a', kind: 'endpoint-not-ready', atMs: T + 200 },
    ...extraPods,
  ];
}
let seq = 0;
const ok = (startMs: number, pod: string, reusedSocket = true): RequestRecord => ({ seq: seq++, client: 'keepalive', path: '/', startMs, endMs: startMs + 5, outcome: 'ok', status: 200, bytes: 20, reusedSocket, pod });
const failed = (startMs: number, errorCode: RequestRecord['errorCode'], reusedSocket: boolean, endMs = startMs + 3): RequestRecord => ({ seq: seq++, client: reusedSocket ? 'keepalive' : 'fresh', path: '/', startMs, endMs, outcome: 'failed', bytes: 0, reusedSocket, errorCode });

function timeline(requests: RequestRecord[], pods: PodEvent[], lifecycle: Timeline['lifecycle'] = []): Timeline {
  return { triggerAtMs: T, startMs: 0, endMs: 60_000, gracePeriodSeconds: 15, requests: requests.filter((r) => r.outcome !== 'ok'), served: aggregateServed(requests, 0), streams: [], lifecycle, pods };
}
const thresholds = { maxFailedRequests: 0, maxDrainMs: 0 };
const analyse = (t: Timeline) => evaluateTimeline(t, totalsOf(t.requests, t.served), thresholds);
const graceful = [{ pod: 'a', event: 'sigterm' as const, atMs: T + 10 }, { pod: 'a', event: 'readiness-off' as const, atMs: T + 11 }, { pod: 'a', event: 'listener-closed' as const, atMs: T + 5_000 }, { pod: 'a', event: 'exit' as const, atMs: T + 5_300, code: 0 }];

describe('evaluateTimeline', () => {
  test('a clean drain passes with timings per terminated pod', () => {
    const a = analyse(timeline([ok(9_500, 'a'), ok(T + 100, 'a'), ok(T + 300, 'b')], rollout([{ pod: 'a', kind: 'terminated', atMs: T + 5_400, exitCode: 0 }]), graceful));
    expect(a.verdict).toBe('pass');
    expect(a.failures.total).toBe(0);
    expect(a.drain.pods).toHaveLength(1);
    expect(a.drain.pods[0]).toMatchObject({ pod: 'a', endpointRemovalMs: 200, sigtermToExitMs: 5_290, terminatingToExitMs: 5_300, servedAfterTerminating: 1, sigkilled: false, exitCode: 0 });
  });

  test('a fresh connection failing while a pod terminates is refused-before-endpoint-removal', () => {
    const a = analyse(timeline([ok(9_000, 'a', false), failed(T + 50, 'ECONNREFUSED', false), failed(T + 60, 'SOCKET_CLOSED', false)], rollout()));
    expect(a.verdict).toBe('fail');
    expect(a.primaryClass).toBe('refused-before-endpoint-removal');
    expect(a.failures.byClass).toEqual({ 'refused-before-endpoint-removal': 2 });
  });

  test('a reused socket reset is the keep-alive race', () => {
    const a = analyse(timeline([failed(T + 50, 'SOCKET_CLOSED', true), failed(T + 70, 'ECONNRESET', true), failed(T + 90, 'ECONNREFUSED', false)], rollout()));
    expect(a.primaryClass).toBe('keepalive-race');
    expect(a.failures.byClass).toEqual({ 'keepalive-race': 2, 'refused-before-endpoint-removal': 1 });
  });

  test('failures while no pod is ready are no-endpoints', () => {
    const pods: PodEvent[] = [{ pod: 'a', kind: 'ready', atMs: 0 }, { pod: 'a', kind: 'terminating', atMs: T }, { pod: 'b', kind: 'ready', atMs: T + 4_000 }];
    const a = analyse(timeline([failed(T + 1_000, 'ECONNREFUSED', false), failed(T + 5_000, 'ECONNREFUSED', false)], pods));
    expect(a.failures.byClass).toEqual({ 'no-endpoints': 1, 'refused-before-endpoint-removal': 1 });
  });

  test('a refusal just after new pods turn ready, with every old endpoint long gone, is still the outage (Recreate)', () => {
    // Old pod a left the endpoints at T+30; new pod b is Ready at T+8 000 but kube-proxy has not programmed it yet.
    const pods: PodEvent[] = [
      { pod: 'a', kind: 'ready', atMs: 0 }, { pod: 'a', kind: 'terminating', atMs: T }, { pod: 'a', kind: 'endpoint-not-ready', atMs: T + 30 },
      { pod: 'b', kind: 'ready', atMs: T + 8_000 },
    ];
    const a = analyse(timeline([failed(T + 500, 'ECONNRESET', false), failed(T + 8_100, 'ECONNRESET', false)], pods));
    expect(a.failures.byClass).toEqual({ 'no-endpoints': 2 });
  });

  test('a refusal after the app logged SIGTERM but before the watch saw the deletion is still refused-before-endpoint-removal', () => {
    const sigterm = [{ pod: 'a', event: 'sigterm' as const, atMs: T - 12 }, { pod: 'a', event: 'exit' as const, atMs: T - 10, code: 0 }];
    const a = analyse(timeline([failed(T - 6, 'ECONNRESET', false)], rollout(), sigterm));
    expect(a.failures.byClass).toEqual({ 'refused-before-endpoint-removal': 1 });
  });

  test('a refusal with ready pods and no terminating one routed is not blamed on draining', () => {
    const pods: PodEvent[] = [...rollout(), { pod: 'a', kind: 'endpoint-removed', atMs: T + 300 }];
    const a = analyse(timeline([failed(T + 150, 'ECONNREFUSED', false), failed(T + 200 + ROUTING_LAG_MS + 1, 'ECONNREFUSED', false)], pods));
    expect(a.failures.byClass).toEqual({ 'refused-before-endpoint-removal': 1, other: 1 });
  });

  test('in-flight requests cut at a SIGKILL of a pod that never logged SIGTERM: sigterm-ignored', () => {
    const killAt = T + 15_000;
    const pods = rollout([{ pod: 'a', kind: 'terminated', atMs: killAt + 400, exitCode: 137, reason: 'Error' }]);
    const slowCut = { ...failed(killAt - 1_000, 'ECONNRESET', true, killAt + 450), client: 'slow' as const };
    const a = analyse(timeline([slowCut, failed(T + 20, 'TIMEOUT', true)], pods));
    expect(a.primaryClass).toBe('sigterm-ignored');
    expect(a.findings[0]).toMatchObject({ failureClass: 'sigterm-ignored', requests: 1, pods: ['a'] });
    expect(a.drain.sigkilled).toBe(1);
    expect(a.failures.byClass.other).toBe(1);
  });

  test('a SIGKILL after the app logged SIGTERM is grace-too-short, even with no failed request', () => {
    const pods = rollout([{ pod: 'a', kind: 'terminated', atMs: T + 15_100, exitCode: 137 }]);
    const a = analyse(timeline([ok(T + 100, 'b')], pods, [{ pod: 'a', event: 'sigterm', atMs: T + 5 }]));
    expect(a.verdict).toBe('fail');
    expect(a.primaryClass).toBe('grace-too-short');
  });

  test('a drain longer than maxDrainMs fails as grace-too-short', () => {
    const t = timeline([], rollout(), graceful);
    expect(evaluateTimeline(t, totalsOf([]), { maxFailedRequests: 0, maxDrainMs: 5_000 }).primaryClass).toBe('grace-too-short');
    expect(evaluateTimeline(t, totalsOf([]), { maxFailedRequests: 0, maxDrainMs: 6_000 }).verdict).toBe('pass');
  });

  test('failed requests within maxFailedRequests pass', () => {
    const t = timeline([failed(T + 50, 'ECONNREFUSED', false)], rollout());
    expect(evaluateTimeline(t, totalsOf(t.requests, t.served), { maxFailedRequests: 1, maxDrainMs: 0 }).verdict).toBe('pass');
  });

  test('streams ended without goodbye are stream-dropped', () => {
    const t = timeline([], rollout());
    t.streams = [
      { kind: 'websocket', seq: 0, openedAtMs: 0, endedAtMs: T + 10, end: 'clean-close', closeCode: 1001, messages: 9, lostEvents: 0, duplicatedEvents: 0 },
      { kind: 'sse', seq: 1, openedAtMs: 0, endedAtMs: T + 10, end: 'eof', messages: 9, lostEvents: 2, duplicatedEvents: 0 },
    ];
    const a = analyse(t);
    expect(a.failures.byClass).toEqual({ 'stream-dropped': 1 });
    expect(a.streams).toEqual({ total: 2, cleanlyClosed: 1, dropped: 1, lostEvents: 2, duplicatedEvents: 0 });
  });
});

describe('checkExpectation', () => {
  const failing = analyse(timeline([failed(T + 50, 'SOCKET_CLOSED', true), failed(T + 60, 'ECONNREFUSED', false)], rollout()));
  test('a negative control matches when its class is among the findings', () => {
    expect(checkExpectation({ verdict: 'fail', failureClass: 'refused-before-endpoint-removal' }, 'fail', failing).matched).toBe(true);
    expect(checkExpectation({ verdict: 'fail', failureClass: 'sigterm-ignored' }, 'fail', failing)).toEqual({ matched: false, reason: 'expected sigterm-ignored, found keepalive-race, refused-before-endpoint-removal' });
  });
  test('a negative control that passes does not match', () => {
    expect(checkExpectation({ verdict: 'fail', failureClass: 'keepalive-race' }, 'pass').reason).toMatch(/negative control passed/);
  });
  test('error never matches; pass matches pass', () => {
    expect(checkExpectation({ verdict: 'pass' }, 'error').matched).toBe(false);
    expect(checkExpectation({ verdict: 'pass' }, 'pass').matched).toBe(true);
    expect(checkExpectation({ verdict: 'pass' }, 'fail', failing).reason).toBe('expected pass, failed with keepalive-race');
  });
});

// An app that prints nothing and names no pod: only Kubernetes and the network speak for it.
describe('uninstrumented apps', () => {
  const anonymous = (startMs: number, reusedSocket = true): RequestRecord => ({ ...ok(startMs, 'x', reusedSocket), pod: undefined });
  const terminating = (extra: Partial<PodEvent> = {}): PodEvent => ({ pod: 'a', kind: 'terminating', atMs: T, killDeadlineAtMs: T + 15_000, gracePeriodSeconds: 15, preStop: 'none', ...extra });
  const podsTerminating = (deletion: PodEvent, ...more: PodEvent[]): PodEvent[] => [
    { pod: 'a', kind: 'created', atMs: 0 }, { pod: 'a', kind: 'ready', atMs: 1_000 },
    { pod: 'b', kind: 'created', atMs: 8_000 }, { pod: 'b', kind: 'ready', atMs: 9_000 },
    deletion, { pod: 'a', kind: 'endpoint-not-ready', atMs: T + 200 }, ...more,
  ];
  const pods = (...more: PodEvent[]) => podsTerminating(terminating(), ...more);
  const killedAt = (atMs: number): PodEvent => ({ pod: 'a', kind: 'terminated', atMs: atMs + 300, finishedAtMs: atMs, exitCode: 137, reason: 'Error' });
  const trace = (...activeAtMs: number[]) => ({ firstSeenAtMs: 0, lastSeenAtMs: Math.max(0, ...activeAtMs), activeAtMs });

  test('a SIGKILL after the endpoint turned not-serving is grace-too-short; one that kept serving is sigterm-ignored', () => {
    const drained = analyse(timeline([anonymous(T - 100)], pods({ pod: 'a', kind: 'endpoint-not-serving', atMs: T + 1_000 }, killedAt(T + 15_000))));
    expect(drained.primaryClass).toBe('grace-too-short');
    expect(drained.findings[0]?.example).toMatch(/not-serving/);
    const ignored = analyse(timeline([anonymous(T - 100)], pods(killedAt(T + 15_000))));
    expect(ignored.primaryClass).toBe('sigterm-ignored');
    expect(ignored.drain.pods[0]).toMatchObject({ killDeadlineMs: 15_000, gracePeriodSeconds: 15, preStop: 'none', killedAtDeadline: true, exitCode: 137, finishedAfterTerminatingMs: 15_000 });
  });

  test('the drain table leaves what cannot be known undefined instead of 0', () => {
    const a = analyse(timeline([anonymous(T - 100)], pods({ pod: 'a', kind: 'terminated', atMs: T + 4_000, finishedAtMs: T + 3_000, exitCode: 0 })));
    // The watch saw the exit at +4 000, but finishedAt (whole seconds) puts it before +3 000 + 1 s.
    expect(a.drain.pods[0]).toMatchObject({ terminatingToExitMs: 3_999, drainMs: 3_999, exitCode: 0, killedAtDeadline: false });
    expect(a.drain.pods[0]?.sigtermToExitMs).toBeUndefined();
    expect(a.drain.pods[0]?.servedAfterTerminating).toBeUndefined();
    expect(a.coverage.source).toBe('none');
    expect(a.coverage.exercised).toBeUndefined();
    expect(a.verdict).toBe('pass');
    expect(a.coverage.note).toMatch(/coverage unknown/);
  });

  test('--max-drain-ms applies to an app that logs nothing: deletion → exit less a known preStop sleep', () => {
    const slow = timeline([anonymous(T - 100)], podsTerminating(terminating({ preStop: 'sleep 5s' }), { pod: 'a', kind: 'terminated', atMs: T + 12_000, exitCode: 0 }));
    expect(evaluateTimeline(slow, totalsOf([]), { maxFailedRequests: 0, maxDrainMs: 6_000 }).primaryClass).toBe('grace-too-short');
    expect(evaluateTimeline(slow, totalsOf([]), { maxFailedRequests: 0, maxDrainMs: 8_000 }).verdict).toBe('pass');
  });

  test('a would-be pass whose terminating pods carried no load after deletion is an error, not a pass', () => {
    const quiet = timeline([anonymous(T - 100)], pods({ pod: 'a', kind: 'terminated', atMs: T + 4_000, exitCode: 0 }));
    quiet.connections = { source: 'conntrack', sampleIntervalMs: 250, pods: { a: [trace(T - 500)], b: [trace(T + 1_000)] } };
    const a = analyse(quiet);
    expect(a.verdict).toBe('error');
    expect(a.notExercised).toMatch(/not exercised: no terminating pod carried load/);
    quiet.connections = { source: 'conntrack', sampleIntervalMs: 250, pods: { a: [trace(T - 500, T + 2_000)] } };
    const reached = analyse(quiet);
    expect(reached.verdict).toBe('pass');
    expect(reached.coverage).toMatchObject({ source: 'conntrack', exercised: true, pods: [{ pod: 'a', connectionsAfterDeletion: 1 }] });
  });

  test('a pod whose last response came after its deletion began was exercised, even within the deletion\'s 100 ms bucket', () => {
    // Pod a answers its pooled connections once more 30 ms after the watch saw its deletion (T+10 030), all in the
    // bucket that holds T: no request *started* in a later bucket, but the response ended after the deletion.
    const requests = [ok(T - 50, 'a'), { ...ok(T + 20, 'a'), endMs: T + 30 }, ok(T + 300, 'b')];
    const justAfter = timeline(requests, rollout([{ pod: 'a', kind: 'terminated', atMs: T + 5_400, exitCode: 0 }]), graceful);
    justAfter.served = aggregateServed(requests, 50); // buckets [T-50, T+50): the request at T+20 shares the deletion's
    expect(analyse(justAfter).drain.pods[0]?.servedAfterTerminating).toBe(0);
    expect(analyse(justAfter).coverage).toMatchObject({ exercised: true, note: '1 of 1 terminating pods answered after their deletion began (header)' });
    // Negative control: its last response ended before the deletion: not exercised, the verdict is error.
    const before = timeline([ok(T - 50, 'a'), ok(T + 300, 'b')], rollout([{ pod: 'a', kind: 'terminated', atMs: T + 5_400, exitCode: 0 }]), graceful);
    expect(analyse(before).verdict).toBe('error');
  });

  test('a non-zero exit other than 137 after SIGTERM is unclean-exit', () => {
    const a = analyse(timeline([anonymous(T - 100)], pods({ pod: 'a', kind: 'terminated', atMs: T + 300, exitCode: 143, reason: 'Error' })));
    expect(a.primaryClass).toBe('unclean-exit');
    expect(a.findings[0]).toMatchObject({ pods: ['a'] });
  });
});

describe('client models', () => {
  const retried = (startMs: number, retrySeq: number): RequestRecord => ({ ...failed(startMs, 'SOCKET_CLOSED', true), retriedAs: retrySeq });

  test('a race absorbed by a retry fails strict clients only', () => {
    const first = retried(T + 50, 9_001);
    const retry: RequestRecord = { ...ok(T + 51, 'b', false), seq: 9_001, retryOf: first.seq };
    const a = analyse(timeline([ok(T - 100, 'a'), first, retry], rollout()));
    expect(a.models.strict).toMatchObject({ verdict: 'fail', primaryClass: 'keepalive-race', absorbedRetries: 0 });
    expect(a.models.retrying).toMatchObject({ verdict: 'pass', absorbedRetries: 1 });
    expect(a.verdict).toBe('fail');
    expect(a.findings[0]?.clients).toMatch(/clients that don't retry.*absorbed 1/);
    expect(evaluateTimeline(timeline([ok(T - 100, 'a'), first, retry], rollout()), totalsOf([first]), thresholds, 'retrying').verdict).toBe('pass');
  });

  test('a retry that fails too counts for retrying clients, under its own class', () => {
    const first = retried(T + 50, 9_002);
    const retry: RequestRecord = { ...failed(T + 51, 'ECONNREFUSED', false), seq: 9_002, retryOf: first.seq };
    const a = analyse(timeline([ok(T - 100, 'a'), first, retry], rollout()));
    expect(a.models.strict.failures.byClass).toEqual({ 'keepalive-race': 1 });
    expect(a.models.retrying).toMatchObject({ verdict: 'fail', primaryClass: 'refused-before-endpoint-removal', failures: { total: 1 } });
  });
});

describe('failures by where they happened', () => {
  test('a reused-socket failure before any pod terminated is outside-termination, not the keep-alive race', () => {
    const a = analyse(timeline([ok(1_500, 'a'), failed(3_000, 'SOCKET_CLOSED', true)], rollout()));
    expect(a.failures.byClass).toEqual({ 'outside-termination': 1 });
  });
  test('an error status is bad-status, with the body as evidence', () => {
    const status: RequestRecord = { ...failed(T + 100, 'HTTP_STATUS', true), status: 503, bodyPrefix: 'draining' };
    const a = analyse(timeline([status], rollout()));
    expect(a.primaryClass).toBe('bad-status');
    expect(a.findings[0]?.example).toMatch(/body "draining"/);
  });
  test('a request still in flight when the load stopped is a failure', () => {
    const stuck: RequestRecord = { seq: seq++, client: 'slow', path: '/slow', startMs: T + 100, outcome: 'in-flight', bytes: 0, reusedSocket: true };
    expect(analyse(timeline([stuck], rollout())).failures.total).toBe(1);
  });
  test('the routing lag follows kube-proxy\'s minSyncPeriod', () => {
    expect(routingLagFor('1s')).toBe(2_000);
    expect(routingLagFor('10s')).toBe(20_000);
    expect(routingLagFor('100ms')).toBe(1_000);
    expect(routingLagFor('unknown')).toBe(ROUTING_LAG_MS);
  });
});

describe('unannounced idle closes', () => {
  test('while a pod drains they fail strict clients as the keep-alive race, even with no failed request; retrying clients pass', () => {
    const t = timeline([ok(T - 100, 'a'), ok(T + 300, 'b')], rollout([{ pod: 'a', kind: 'terminated', atMs: T + 5_400, exitCode: 0 }]));
    t.idleCloses = [{ atMs: T + 5_000, client: 'keepalive', pod: 'a' }, { atMs: T + 5_001, client: 'keepalive' }];
    const a = analyse(t);
    expect(a.models.strict).toMatchObject({ verdict: 'fail', primaryClass: 'keepalive-race' });
    expect(a.models.retrying.verdict).toBe('pass');
    expect(a.findings[0]).toMatchObject({ failureClass: 'keepalive-race', unannouncedCloses: 2, requests: 0 });
    expect(a.findings[0]?.clients).toMatch(/2 pooled connections were closed unannounced/);
  });
  test('away from any termination (a keep-alive timeout) or at a SIGKILL they are no finding of their own', () => {
    const killed = rollout([{ pod: 'a', kind: 'terminated', atMs: T + 15_000, exitCode: 137 }]);
    const t = timeline([ok(T - 100, 'a')], killed, [{ pod: 'a', event: 'sigterm', atMs: T + 5 }]);
    t.idleCloses = [{ atMs: 3_000, client: 'keepalive' }, { atMs: T + 15_000, client: 'keepalive', pod: 'a' }];
    const a = analyse(t);
    expect(a.findings.map((f) => f.failureClass)).toEqual(['grace-too-short']);
  });
});

describe('a starved harness', () => {
  const health = (maxEventLoopDelayMs: number) => ({ maxEventLoopDelayMs, p99EventLoopDelayMs: 2, cpuUserMs: 900, cpuSystemMs: 300, wallMs: 30_000 });
  const racing = () => timeline([failed(T + 50, 'SOCKET_CLOSED', true), ok(T + 300, 'b')], rollout());
  const clean = () => timeline([ok(9_500, 'a'), ok(T + 100, 'a'), ok(T + 300, 'b')], rollout([{ pod: 'a', kind: 'terminated', atMs: T + 5_400, exitCode: 0 }]), graceful);
  // Through the Service the narrowest window is the SIGKILL window's 1 s (the routing lag is never shorter).
  const LIMIT_MS = KILL_WINDOW.beforeMs;

  test('an event loop stalled past the limit is error for both client models, never fail, with the reason', () => {
    const stalled = { ...racing(), harness: health(LIMIT_MS + 150) };
    const a = analyse(stalled);
    expect(a.verdict).toBe('error');
    expect(a.models.strict.verdict).toBe('error');
    expect(a.models.retrying.verdict).toBe('error');
    expect(a.primaryClass).toBeUndefined();
    expect(a.couldNotJudge).toBe(`the harness was starved: event loop stalled ${LIMIT_MS + 150} ms (limit ${LIMIT_MS} ms)`);
    // The evidence is still there to look at.
    expect(a.failures.byClass).toEqual({ 'keepalive-race': 1 });
    expect(analyse({ ...clean(), harness: health(LIMIT_MS + 1) }).verdict).toBe('error');
  });

  test('negative control: a stall within the limit, or no figure at all, leaves the verdicts as they were', () => {
    for (const harness of [health(LIMIT_MS), health(300), health(12), undefined]) {
      const a = analyse({ ...racing(), ...(harness ? { harness } : {}) });
      expect(a).toMatchObject({ verdict: 'fail', primaryClass: 'keepalive-race' });
      expect(a.starved).toBeUndefined();
      expect(analyse({ ...clean(), ...(harness ? { harness } : {}) }).verdict).toBe('pass');
    }
  });

  test('the limit is the narrowest window request ends are placed in: the SIGKILL window or the routing lag, through either path', () => {
    expect(stallLimitFor({})).toBe(Math.min(KILL_WINDOW.beforeMs, routingLagFor('0s')));
    expect(stallLimitFor({ routingLagMs: routingLagFor('5s') })).toBe(KILL_WINDOW.beforeMs);
    expect(starvationOf({ harness: health(300) })).toBeUndefined();
    expect(starvationOf({ harness: health(1_300) })).toBe(`the harness was starved: event loop stalled 1300 ms (limit ${KILL_WINDOW.beforeMs} ms)`);
  });
});
