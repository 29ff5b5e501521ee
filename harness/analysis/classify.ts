// Names the failure mode of each failed request and each badly ended stream, from the timeline alone (pure).
import type { RequestRecord, StreamRecord, Timeline } from '../model/run-data.ts';
import type { FailureClass } from './failure-modes.ts';
import { podFacts, readyPodsAt, type PodFacts } from './pod-facts.ts';

/** A request cut within this window around a SIGKILL is attributed to the kill (watch arrival times lag). */
export const KILL_WINDOW = { beforeMs: 1_000, afterMs: 3_000 } as const;

/**
 * kube-proxy programs an EndpointSlice change within its sync period (minSyncPeriod, 1 s by default in iptables
 * mode); until then new connections follow the old rules. Refusals within this long of a change belong to it.
 */
export const ROUTING_LAG_MS = 2_000;

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'SOCKET_CLOSED', 'TIMEOUT', 'TRUNCATED']);

export interface Kill {
  pod: string;
  atMs: number;
  /** The app logged a SIGTERM before it was killed: it drained too long rather than ignoring the signal. */
  sawSigterm: boolean;
}

/** Pods that ended with exit code 137 (SIGKILL). */
export function killsOf(facts: Iterable<PodFacts>): Kill[] {
  const kills: Kill[] = [];
  for (const f of facts) {
    if (f.exitCode === 137 && f.exitAtMs !== undefined) kills.push({ pod: f.pod, atMs: f.exitAtMs, sawSigterm: f.sigtermAtMs !== undefined });
  }
  return kills;
}

export const killClass = (kill: Kill): FailureClass => (kill.sawSigterm ? 'grace-too-short' : 'sigterm-ignored');

export interface RequestClassifier {
  classify(record: RequestRecord): FailureClass;
}

/** The pod was terminating at `atMs` and kube-proxy may still have routed new connections to it. */
function routedWhileTerminating(f: PodFacts, atMs: number): boolean {
  // The app's own SIGTERM line is stamped when it happens; the watch reports deletion some milliseconds later.
  const terminatingAtMs = Math.min(f.terminatingAtMs ?? Infinity, f.sigtermAtMs ?? Infinity);
  if (terminatingAtMs > atMs) return false;
  const leftEndpointsAtMs = f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs;
  return leftEndpointsAtMs === undefined || atMs <= leftEndpointsAtMs + ROUTING_LAG_MS;
}

export function requestClassifier(timeline: Timeline, knownKills?: readonly Kill[]): RequestClassifier {
  const facts = [...podFacts(timeline).values()];
  const kills = knownKills ?? killsOf(facts);
  return {
    classify(record) {
      const endMs = record.endMs ?? timeline.endMs;
      const code = record.errorCode ?? 'OTHER';
      if (CONNECTION_ERRORS.has(code)) {
        const kill = kills.find((k) => (record.pod === undefined || record.pod === k.pod) && record.startMs <= k.atMs && endMs >= k.atMs - KILL_WINDOW.beforeMs && endMs <= k.atMs + KILL_WINDOW.afterMs);
        if (kill) return killClass(kill);
      }
      if (readyPodsAt(timeline, record.startMs) === 0) return 'no-endpoints';
      if (!CONNECTION_ERRORS.has(code)) return 'other';
      if (record.reusedSocket) return code === 'TIMEOUT' ? 'other' : 'keepalive-race';
      if (record.bytes > 0) return 'other';
      // A fresh connection that failed before any byte arrived: nothing was listening where kube-proxy still sent it.
      // (Through Docker's port publishing a refusal reaches the client as a reset or an immediate close.)
      if (facts.some((f) => routedWhileTerminating(f, record.startMs))) return 'refused-before-endpoint-removal';
      // No terminating pod was routed: the Service had just had no ready pod and kube-proxy had not yet programmed
      // the new ones (Recreate), which is still the outage, not an app that stopped listening early.
      return readyPodsAt(timeline, record.startMs - ROUTING_LAG_MS) === 0 ? 'no-endpoints' : 'other';
    },
  };
}

/** A stream that ended without a goodbye (close frame or `retry:` hint), or lost events on resume. */
export function streamFailed(stream: StreamRecord): boolean {
  return stream.end === 'eof' || stream.end === 'reset' || stream.end === 'timeout' || stream.lostEvents > 0;
}
