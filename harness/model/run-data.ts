// The JSON-shaped run data that flows one way: load/observation produce it, analysis reads it, report renders it.
import type { ServedAggregate } from './served.ts';

// Every timestamp is wall-clock epoch milliseconds (Date.now() / performance.timeOrigin + now()).

/** Shutdown behaviours of the sample app; correct ones start with `graceful`. */
export const APP_VARIANTS = ['graceful', 'graceful-prestop', 'exit-immediately', 'ignore-sigterm', 'close-only', 'slow-drain', 'delayed-close'] as const;
export type AppVariant = (typeof APP_VARIANTS)[number];

/** Which client population sent a request. */
export type ClientKind = 'keepalive' | 'fresh' | 'slow' | 'autocannon';

/**
 * How a client reacts to a request that failed on a reused keep-alive connection before any response byte:
 * `strict` never retries (Node's http.Agent, POST traffic, most load tools); `retrying` retries an idempotent
 * GET/HEAD once on a new connection (Go's net/http Transport, browsers; RFC 9112 §9.3.1, RFC 9110 §9.2.2).
 */
export const CLIENT_MODELS = ['strict', 'retrying'] as const;
export type ClientModel = (typeof CLIENT_MODELS)[number];

/**
 * The path the load takes to the app: `service` = client → NodePort → kube-proxy → pod; `ingress` = client → the
 * ingress controller (a proxy with its own endpoint watch and upstream keep-alive pool) → pod.
 */
export const VIAS = ['service', 'ingress'] as const;
export type Via = (typeof VIAS)[number];

/** What went wrong with one request, as seen by the client. */
export type RequestErrorCode =
  | 'ECONNREFUSED' // nothing listening (stopped listening before endpoint removal, or no endpoints)
  | 'ECONNRESET' // RST from peer
  | 'EPIPE' // wrote to a socket the peer closed
  | 'SOCKET_CLOSED' // peer closed cleanly (FIN) with this request in flight: the keep-alive race
  | 'TIMEOUT' // no response within the client timeout
  | 'TRUNCATED' // response ended before its declared length
  | 'HTTP_STATUS' // a response arrived but its status is outside the accepted set (--ok-status; e.g. 502/503)
  | 'OTHER';

export interface RequestRecord {
  seq: number;
  client: ClientKind;
  /** HTTP method; absent = GET. */
  method?: string;
  path: string;
  startMs: number;
  /** Absent while `outcome` is 'in-flight' (still outstanding when the load stopped). */
  endMs?: number;
  outcome: 'ok' | 'failed' | 'in-flight';
  status?: number;
  bytes: number;
  errorCode?: RequestErrorCode;
  /** Raw error message/code from the client library, for the report. */
  errorDetail?: string;
  /** True when the request went out on a socket that had already carried a request. */
  reusedSocket: boolean;
  /** Pod (or container) that answered, from the `x-drainspec-pod` response header. */
  pod?: string;
  /** HTTP_STATUS failures: the first bytes of the response body (latin1, at most 200), as evidence. */
  bodyPrefix?: string;
  /** On a failed first attempt that the retrying client model retried: the retry's seq. */
  retriedAs?: number;
  /** On a retry: the seq of the failed attempt it retries. */
  retryOf?: number;
}

/**
 * A pooled keep-alive connection that the server closed while no request was on it, with no `Connection: close`
 * before: harmless this time, but a client that sent on it at that instant sees the keep-alive race.
 */
export interface IdleClose {
  atMs: number;
  client: ClientKind;
  /** The pod that last answered on the connection (from the response header), when known. */
  pod?: string;
}

/** Totals that must balance: sent = ok + failed + inFlight. */
export interface RequestTotals {
  sent: number;
  ok: number;
  failed: number;
  inFlight: number;
  byErrorCode: Partial<Record<RequestErrorCode, number>>;
}

export type StreamKind = 'sse' | 'websocket';
export type StreamEnd =
  | 'clean-close' // WebSocket close frame (code recorded) or SSE stream ended after a `retry:` hint
  | 'eof' // connection ended without a close frame / retry hint
  | 'reset' // ECONNRESET / socket error
  | 'timeout' // nothing received within the idle timeout
  | 'never-opened' // the stream was refused or failed before its first byte (status, refusal)
  | 'open'; // still open when the run stopped

export interface StreamRecord {
  kind: StreamKind;
  seq: number;
  pod?: string;
  openedAtMs: number;
  endedAtMs?: number;
  end: StreamEnd;
  /** Evidence for the end, one line: 'status 404', 'ECONNREFUSED', 'no data for 2004 ms (idle timeout 2000 ms …)'. */
  detail?: string;
  /** WebSocket close code when `end` is 'clean-close' (analysis/streams.ts judges it: 1001 and 1012 are goodbyes). */
  closeCode?: number;
  /** SSE `retry:` hint in ms, when the server sent one before ending. */
  retryHintMs?: number;
  messages: number;
  /** Gap from this stream's end until the client's reconnect opened (absent if none). */
  reconnectGapMs?: number;
  /** SSE: events missing or repeated when resuming from Last-Event-ID (0 when `eventContinuity` is 'unknown'). */
  lostEvents: number;
  duplicatedEvents: number;
  /** SSE: 'checked' when the ids are a per-stream sequence, so losses are countable; 'unknown' otherwise. */
  eventContinuity?: EventContinuity;
}

export type EventContinuity = 'checked' | 'unknown';

/** Lifecycle events the sample app prints as one JSON line each: `{"event":"sigterm","atMs":…,"pod":"…"}`. */
export const LIFECYCLE_EVENTS = ['started', 'ready', 'sigterm', 'readiness-off', 'listener-closed', 'idle-closed', 'streams-closed', 'drained', 'exit'] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

export interface LifecycleEvent {
  pod: string;
  event: LifecycleEventName;
  atMs: number;
  /** Exit code, on `exit`. */
  code?: number;
}

/**
 * What the orchestrator (kubelet / docker) saw of a pod or container. Endpoint kinds follow the EndpointSlice
 * conditions of the pod's endpoint: `ready` false (not routed to by new connections), `serving` false (the pod's
 * own readiness failed: it signalled that it is draining), `terminating` true.
 */
export type PodEventKind = 'created' | 'ready' | 'unready' | 'terminating' | 'endpoint-not-ready' | 'endpoint-not-serving'
  | 'endpoint-terminating' | 'endpoint-removed' | 'terminated' | 'deleted';

export interface PodEvent {
  pod: string;
  kind: PodEventKind;
  /** When the harness saw it (arrival, harness clock). */
  atMs: number;
  /** Container exit code and reason on `terminated` (137 + 'Error' = SIGKILL). */
  exitCode?: number;
  reason?: string;
  /** `terminated`: the kubelet's finishedAt (1 s precision), converted to the harness clock. */
  finishedAtMs?: number;
  /** `terminating`: the SIGKILL deadline, metadata.deletionTimestamp (1 s precision, harness clock). */
  killDeadlineAtMs?: number;
  /** `terminating`: metadata.deletionGracePeriodSeconds (deletion requested at killDeadlineAtMs − this). */
  gracePeriodSeconds?: number;
  /** `terminating`: the app container's preStop hook, e.g. 'sleep 5s', 'exec', 'httpGet'; 'none' when it has none. */
  preStop?: string;
  /** `created` / `ready`: the pod's IP and node, once assigned (for network attribution). */
  podIP?: string;
  node?: string;
}

/** One TCP connection through kube-proxy's DNAT to a pod, as the node's conntrack table showed it over time. */
export interface ConnectionTrace {
  /** First and last sample that listed it (harness clock). */
  firstSeenAtMs: number;
  lastSeenAtMs: number;
  /** Sample times at which its byte counters had grown since the previous sample: traffic flowed. */
  activeAtMs: number[];
}

/** Which pod each connection reached, from the network rather than from the app. */
export type ConnectionEvidence =
  | {
    source: 'conntrack';
    sampleIntervalMs: number;
    /** The longest time between two samples as taken (a busy node stretches the interval); absent in older timelines. */
    maxSampleGapMs?: number;
    pods: Record<string, ConnectionTrace[]>;
  }
  | { source: 'none'; reason: string };

/** One request the ingress proxy answered itself with an error (no upstream response reached the client). */
export interface ProxyError {
  /** When the proxy received the request (harness clock). */
  atMs: number;
  durationMs: number;
  /**
   * What the proxy sent the client: 502 (upstream refused/reset/closed), 503 (no endpoint), 504 (upstream timeout),
   * or 499 when the client gave up while the proxy still waited on the upstream.
   */
  status: number;
  /** The upstream it tried (pod IP:port), when it picked one. */
  upstream?: string;
  /** The pod that held the upstream's IP. */
  pod?: string;
}

/** The proxy's own view, from its access log: which pod it sent each request to, and the errors it made itself. */
export type ProxyEvidence =
  | {
    source: 'access-log';
    /** e.g. `traefik v3.7.4`. */
    proxy: string;
    /** Access log lines read (one per request the proxy handled). */
    lines: number;
    /** Requests the proxy sent to each pod, per `bucketMs` of request start (origin `originMs`), and the last one. */
    originMs: number;
    bucketMs: number;
    routed: Record<string, { counts: number[]; lastAtMs: number }>;
    errors: ProxyError[];
  }
  | { source: 'none'; reason: string };

/** One in-cluster load agent of a scenario: where it ran, what it sent, how its clock was put on the harness's. */
export interface AgentRun {
  index: number;
  pod: string;
  node: string;
  totals: RequestTotals;
  /** Its log arrived whole: end line, totals agreeing, every request once. */
  complete: boolean;
  /** Harness clock − agent clock, as applied to its records. */
  clockOffsetMs: number;
  /** `runtime-stamps`: from the container runtime's line timestamps; `receive`: from when its clock lines arrived. */
  clockSource: 'receive' | 'runtime-stamps';
  error?: string;
  /** Its own event-loop delay and CPU, from its end line. */
  harness?: HarnessHealth;
}

/**
 * The load client's own health over the load's life (the host process, or the worst agent): how late its event loop
 * ran beyond its timer period, and the CPU it used. A stalled harness stamps requests late and sends nothing.
 */
export interface HarnessHealth {
  maxEventLoopDelayMs: number;
  p99EventLoopDelayMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
}

/**
 * A scenario's steps, in order: namespace and app applied and available; the path checked (every pod served through
 * it); the load warming up; trigger → settled; the requests after settling; the load and evidence stopped; the
 * namespace released (Services gone, its deletion asked for).
 */
export const SCENARIO_PHASES = ['deploy', 'reachable', 'warm-up', 'rollout', 'after-settle', 'collect', 'release'] as const;
export type ScenarioPhase = typeof SCENARIO_PHASES[number];
/** Milliseconds per phase (absent: not reached). */
export type ScenarioPhases = Partial<Record<ScenarioPhase, number>>;

/** Everything one scenario recorded, joined by pod name and time. */
export interface Timeline {
  /** When the rollout / termination was triggered. */
  triggerAtMs: number;
  startMs: number;
  endMs: number;
  gracePeriodSeconds: number;
  /** Failed requests, and those in flight when the load stopped. */
  requests: RequestRecord[];
  /** Successful requests, aggregated per pod, socket kind and 100 ms (origin = startMs). */
  served: ServedAggregate;
  streams: StreamRecord[];
  lifecycle: LifecycleEvent[];
  pods: PodEvent[];
  /** Pooled connections the server closed while idle and unannounced (absent in timelines built before it existed). */
  idleCloses?: IdleClose[];
  /** Per-pod connections from the nodes' conntrack tables (absent in timelines built before it existed). */
  connections?: ConnectionEvidence;
  /**
   * How long after an endpoint change kube-proxy may still route new connections the old way: derived from the
   * measured kube-proxy sync period (absent: the analysis default).
   */
  routingLagMs?: number;
  /** The path the load took (absent in older timelines: `service`). */
  via?: Via;
  /** Through the ingress: the proxy's access log. */
  proxy?: ProxyEvidence;
  /** With load from inside the cluster: each agent (absent: the load ran on the host). */
  agents?: AgentRun[];
  /** The load client's own event-loop delay and CPU (absent in older timelines). */
  harness?: HarnessHealth;
  /** Where the scenario's wall time went (absent in older timelines). */
  phasesMs?: ScenarioPhases;
}
