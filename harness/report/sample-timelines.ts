// Synthetic timelines for the sample report: the sample app (instrumented: lifecycle lines, a pod header on every
// response) and an app that prints nothing and names no pod, where only Kubernetes and conntrack speak for it.
import type { ClientKind, ConnectionTrace, LifecycleEvent, PodEvent, RequestRecord, Timeline } from '../model/run-data.ts';
import { aggregateServed } from '../model/served.ts';

export const START = 1_764_000_000_000;
const TRIGGER = START + 4_000;
const END = START + 10_000;
const EVERY_MS = 25;

interface Load {
  client: ClientKind;
  reusedSocket: boolean;
  /** The pod that answered a request started at `startMs`; undefined for an app that names none. */
  pod: (startMs: number, i: number) => string | undefined;
  /** A failed record instead of an ok one, when the request failed. */
  fail?: (startMs: number) => Pick<RequestRecord, 'errorCode' | 'errorDetail'> | undefined;
}

function requests({ client, reusedSocket, pod, fail }: Load): RequestRecord[] {
  return Array.from({ length: (END - START) / EVERY_MS }, (_, i): RequestRecord => {
    const startMs = START + i * EVERY_MS;
    const failure = fail?.(startMs);
    if (failure) return { seq: i, client, path: '/', startMs, endMs: startMs + 2, outcome: 'failed', bytes: 0, reusedSocket, ...failure };
    return { seq: i, client, path: '/', startMs, endMs: startMs + 4, outcome: 'ok', status: 200, bytes: 40, reusedSocket, pod: pod(startMs, i) };
  });
}

const started = (pod: string, createdAtMs: number, readyAfterMs = 100): PodEvent[] => [{ pod, kind: 'created', atMs: createdAtMs }, { pod, kind: 'ready', atMs: createdAtMs + readyAfterMs }];

interface Termination {
  pod: string;
  atMs: number;
  gracePeriodSeconds: number;
  preStop: string;
  endpointNotReadyAtMs: number;
  /** Absent: the endpoint went away without turning not-serving first. */
  endpointNotServingAtMs?: number;
  exitAtMs: number;
  exitCode: number;
}

/** What Kubernetes records of one pod's termination: deletionTimestamp, EndpointSlice flips, the terminated state. */
function terminated(t: Termination): PodEvent[] {
  const { pod, atMs } = t;
  return [
    { pod, kind: 'terminating', atMs, killDeadlineAtMs: atMs + t.gracePeriodSeconds * 1_000, gracePeriodSeconds: t.gracePeriodSeconds, preStop: t.preStop },
    { pod, kind: 'endpoint-not-ready', atMs: t.endpointNotReadyAtMs },
    ...(t.endpointNotServingAtMs === undefined ? [] : [{ pod, kind: 'endpoint-not-serving' as const, atMs: t.endpointNotServingAtMs }]),
    // finishedAt (whole seconds, moved to the harness clock) lands near the exit the app logged; the watch sees it later.
    { pod, kind: 'terminated', atMs: t.exitAtMs + 100, exitCode: t.exitCode, reason: t.exitCode === 0 ? 'Completed' : 'Error', finishedAtMs: Math.max(atMs, t.exitAtMs - 40) },
  ];
}

function timeline(all: RequestRecord[], pods: PodEvent[], more: Partial<Timeline> = {}): Timeline {
  return {
    triggerAtMs: TRIGGER, startMs: START, endMs: END, gracePeriodSeconds: 15,
    requests: all.filter((r) => r.outcome !== 'ok'), served: aggregateServed(all, START), streams: [], lifecycle: [], pods, ...more,
  };
}

/** The sample app on fresh connections: graceful, or exiting on SIGTERM while its endpoint is still routed. */
export function sampleAppRollout(exitOnSigterm: boolean): Timeline {
  const all = requests({
    client: 'fresh', reusedSocket: false,
    pod: (startMs, i) => (startMs < TRIGGER + 300 ? (i % 2 ? 'app-old-a' : 'app-old-b') : 'app-new-c'),
    fail: (startMs) => (exitOnSigterm && startMs > TRIGGER + 200 && startMs < TRIGGER + 900 && (startMs - START) % 75 === 0
      ? { errorCode: 'ECONNREFUSED', errorDetail: 'connect ECONNREFUSED 127.0.0.1:30080' } : undefined),
  });
  const exitAtMs = TRIGGER + (exitOnSigterm ? 210 : 5_300);
  const lifecycle: LifecycleEvent[] = exitOnSigterm
    ? [{ pod: 'app-old-a', event: 'sigterm', atMs: TRIGGER + 200 }, { pod: 'app-old-a', event: 'exit', atMs: exitAtMs, code: 0 }]
    : [{ pod: 'app-old-a', event: 'sigterm', atMs: TRIGGER + 200 }, { pod: 'app-old-a', event: 'readiness-off', atMs: TRIGGER + 201 }, { pod: 'app-old-a', event: 'exit', atMs: exitAtMs, code: 0 }];
  return timeline(all, [
    ...started('app-old-a', START - 5_000), ...started('app-new-c', TRIGGER + 50),
    ...terminated({ pod: 'app-old-a', atMs: TRIGGER + 180, gracePeriodSeconds: 15, preStop: 'none', endpointNotReadyAtMs: TRIGGER + 950, ...(exitOnSigterm ? {} : { endpointNotServingAtMs: TRIGGER + 1_100 }), exitAtMs, exitCode: 0 }),
  ].sort((a, b) => a.atMs - b.atMs), { lifecycle });
}

/**
 * The sample app's delayed-close variant on pooled connections: it serves through its drain delay, then closes idle
 * keep-alive sockets with no `Connection: close` first. Six requests race the close; a retrying client's retry on a
 * new connection succeeds, so only clients that never retry see them fail.
 */
export function keepAliveRaceRollout(): Timeline {
  const closeAtMs = TRIGGER + 5_200;
  const pooled = requests({ client: 'keepalive', reusedSocket: true, pod: (startMs, i) => (i % 2 ? 'app-old-b' : startMs < closeAtMs ? 'app-old-a' : 'app-new-c') });
  const raced = Array.from({ length: 6 }, (_, k): RequestRecord[] => {
    const startMs = closeAtMs + k * 5;
    return [
      { seq: 1_000 + k, client: 'keepalive', path: '/', startMs, endMs: startMs + 1, outcome: 'failed', bytes: 0, reusedSocket: true, errorCode: 'SOCKET_CLOSED', errorDetail: 'socket closed by peer before any response byte', retriedAs: 2_000 + k },
      { seq: 2_000 + k, client: 'keepalive', path: '/', startMs: startMs + 2, endMs: startMs + 6, outcome: 'ok', status: 200, bytes: 40, reusedSocket: false, pod: 'app-new-c', retryOf: 1_000 + k },
    ];
  }).flat();
  const lifecycle: LifecycleEvent[] = [
    { pod: 'app-old-a', event: 'sigterm', atMs: TRIGGER + 200 }, { pod: 'app-old-a', event: 'readiness-off', atMs: TRIGGER + 201 },
    { pod: 'app-old-a', event: 'idle-closed', atMs: closeAtMs }, { pod: 'app-old-a', event: 'exit', atMs: closeAtMs + 100, code: 0 },
  ];
  return timeline([...pooled, ...raced], [
    ...started('app-old-a', START - 5_000), ...started('app-old-b', START - 5_000), ...started('app-new-c', TRIGGER + 50),
    ...terminated({ pod: 'app-old-a', atMs: TRIGGER + 180, gracePeriodSeconds: 15, preStop: 'none', endpointNotReadyAtMs: TRIGGER + 300, endpointNotServingAtMs: TRIGGER + 1_200, exitAtMs: closeAtMs + 100, exitCode: 0 }),
  ].sort((a, b) => a.atMs - b.atMs), { lifecycle });
}

const trace = (...activeAtMs: number[]): ConnectionTrace[] => [{ firstSeenAtMs: START, lastSeenAtMs: Math.max(...activeAtMs), activeAtMs }];
const anonymous = (client: ClientKind, reusedSocket: boolean): RequestRecord[] => requests({ client, reusedSocket, pod: () => undefined });

/** Your app, rolled one pod at a time behind a 5 s preStop sleep: it logs nothing and names no pod; conntrack saw load reach every old pod after its deletion. */
export function uninstrumentedRollout(): Timeline {
  const old = ['web-old-a', 'web-old-b', 'web-old-c'];
  const pods = old.flatMap((pod, i) => {
    const atMs = TRIGGER + 200 + i * 1_000;
    return [...started(pod, START - 5_000), ...started(`web-new-${'def'[i]}`, atMs - 1_100, 1_000),
      ...terminated({ pod, atMs, gracePeriodSeconds: 15, preStop: 'sleep 5s', endpointNotReadyAtMs: atMs + 150, ...(i < 2 ? { endpointNotServingAtMs: atMs + 5_100 } : {}), exitAtMs: atMs + 5_400, exitCode: 0 })];
  });
  const connections = Object.fromEntries(old.map((pod, i) => [pod, trace(START + 500, TRIGGER + 200 + i * 1_000 + 400)]));
  return timeline(anonymous('keepalive', true), pods.sort((a, b) => a.atMs - b.atMs), {
    connections: { source: 'conntrack', sampleIntervalMs: 250, pods: connections },
  });
}

/** Your app, one pod deleted, with an exec preStop and no conntrack: nothing says whether load reached that pod. */
export function unattributedPodDelete(): Timeline {
  return timeline(anonymous('keepalive', true), [
    ...started('web-a', START - 5_000), ...started('web-b', START - 5_000), ...started('web-d', TRIGGER + 300),
    ...terminated({ pod: 'web-a', atMs: TRIGGER + 100, gracePeriodSeconds: 30, preStop: 'exec', endpointNotReadyAtMs: TRIGGER + 400, exitAtMs: TRIGGER + 2_600, exitCode: 0 }),
  ].sort((a, b) => a.atMs - b.atMs), { gracePeriodSeconds: 30, connections: { source: 'none', reason: 'conntrack could not be read on the nodes (no NET_ADMIN)' } });
}

/** Your app scaled down: conntrack shows the removed pod idle from its deletion on, so the pass would prove nothing. */
export function unexercisedScaleDown(): Timeline {
  return timeline(anonymous('fresh', false), [
    ...started('web-a', START - 5_000), ...started('web-b', START - 5_000), ...started('web-c', START - 5_000),
    ...terminated({ pod: 'web-c', atMs: TRIGGER + 100, gracePeriodSeconds: 15, preStop: 'none', endpointNotReadyAtMs: TRIGGER + 350, exitAtMs: TRIGGER + 900, exitCode: 0 }),
  ].sort((a, b) => a.atMs - b.atMs), {
    connections: { source: 'conntrack', sampleIntervalMs: 250, pods: { 'web-a': trace(START + 500, END - 500), 'web-b': trace(START + 500, END - 500), 'web-c': trace(START + 500, TRIGGER - 500) } },
  });
}
