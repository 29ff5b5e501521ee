// The JSON-shaped run data that flows one way: load/observation produce it, analysis reads it, report renders it.
import type { ServedAggregate } from './served.ts';

// Every timestamp is wall-clock epoch milliseconds (Date.now() / performance.timeOrigin + now()).

/** Shutdown behaviours of the sample app; correct ones start with `graceful`. */
export const APP_VARIANTS = ['graceful', 'graceful-prestop', 'exit-immediately', 'ignore-sigterm', 'close-only', 'slow-drain'] as const;
export type AppVariant = (typeof APP_VARIANTS)[number];

/** Which client population sent a request. */
export type ClientKind = 'keepalive' | 'fresh' | 'slow' | 'autocannon';

/** What went wrong with one request, as seen by the client. */
export type RequestErrorCode =
  | 'ECONNREFUSED' // nothing listening (stopped listening before endpoint removal, or no endpoints)
  | 'ECONNRESET' // RST from peer
  | 'EPIPE' // wrote to a socket the peer closed
  | 'SOCKET_CLOSED' // peer closed cleanly (FIN) with this request in flight: the keep-alive race
  | 'TIMEOUT' // no response within the client timeout
  | 'TRUNCATED' // response ended before its declared length
  | 'HTTP_STATUS' // a response arrived but its status is not the expected one (e.g. 502/503)
  | 'OTHER';

export interface RequestRecord {
  seq: number;
  client: ClientKind;
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
  | 'open'; // still open when the run stopped

export interface StreamRecord {
  kind: StreamKind;
  seq: number;
  pod?: string;
  openedAtMs: number;
  endedAtMs?: number;
  end: StreamEnd;
  /** WebSocket close code (1001 = going away) when `end` is 'clean-close'. */
  closeCode?: number;
  /** SSE `retry:` hint in ms, when the server sent one before ending. */
  retryHintMs?: number;
  messages: number;
  /** Gap from this stream's end until the client's reconnect opened (absent if none). */
  reconnectGapMs?: number;
  /** SSE: events missing or repeated when resuming from Last-Event-ID. */
  lostEvents: number;
  duplicatedEvents: number;
}

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

/** What the orchestrator (kubelet / docker) saw of a pod or container. */
export type PodEventKind = 'created' | 'ready' | 'unready' | 'terminating' | 'endpoint-not-ready' | 'endpoint-removed' | 'terminated' | 'deleted';

export interface PodEvent {
  pod: string;
  kind: PodEventKind;
  atMs: number;
  /** Container exit code and reason on `terminated` (137 + 'Error' = SIGKILL). */
  exitCode?: number;
  reason?: string;
}

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
}
