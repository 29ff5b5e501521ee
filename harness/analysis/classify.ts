// Names the failure mode of each failed request, and of each SIGKILLed pod, from the timeline alone (pure).
import type { IdleClose, ProxyError, RequestRecord, Timeline } from '../model/run-data.ts';
import type { FailureClass } from './failure-modes.ts';
import { KUBERNETES_TIMESTAMP_PRECISION_MS, podFacts, readyPodsAt, terminationStartMs, type PodFacts } from './pod-facts.ts';

/** A request cut within this window around a SIGKILL is attributed to the kill (watch arrival times lag). */
export const KILL_WINDOW = { beforeMs: 1_000, afterMs: 3_000 } as const;


/**
 * Used when the kube-proxy sync period is unknown: iptables mode's default minSyncPeriod (1 s) doubled, as
 * routingLagFor does for a measured one.
 */
export const DEFAULT_ROUTING_LAG_MS = 2_000;

/**
 * How long after an EndpointSlice change kube-proxy may still route new connections the old way. kube-proxy
 * batches changes: one arriving just after a sync waits up to minSyncPeriod for the next, which then takes its own
 * time to program; twice the period bounds both (at least 1 s, for the watch delivery and iptables-restore itself).
 */
export function routingLagFor(minSyncPeriod: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(minSyncPeriod.trim());
  if (!match) return DEFAULT_ROUTING_LAG_MS;
  const periodMs = Number(match[1]) * ({ ms: 1, s: 1_000, m: 60_000 } as const)[match[2] as 'ms' | 's' | 'm'];
  return Math.max(1_000, 2 * periodMs);
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'SOCKET_CLOSED', 'TIMEOUT', 'TRUNCATED']);

export interface Kill {
  pod: string;
  atMs: number;
  /** What showed the pod was draining before the kill (absent: it kept serving as if nothing happened). */
  drainingSign?: string;
}

/**
 * When deletion began, as early as the evidence allows: the watch's arrival, the app's SIGTERM line, or
 * deletionTimestamp − grace period (whole seconds, so possibly up to 1 s early).
 */
export function deletionStartMs(f: PodFacts): number | undefined {
  const fromDeadline = f.killDeadlineAtMs !== undefined && f.gracePeriodSeconds !== undefined ? f.killDeadlineAtMs - f.gracePeriodSeconds * 1000 : undefined;
  const start = Math.min(terminationStartMs(f) ?? Infinity, fromDeadline ?? Infinity);
  return Number.isFinite(start) ? start : undefined;
}

/** What showed, before a SIGKILL at `killAtMs`, that the pod was draining: its own log, its endpoint, its sockets. */
export function drainingSignBefore(f: PodFacts, killAtMs: number, failed: readonly RequestRecord[]): string | undefined {
  if (f.sigtermAtMs !== undefined) return 'the app logged SIGTERM';
  const start = f.terminatingAtMs;
  if (f.endpointNotServingAtMs !== undefined && f.endpointNotServingAtMs < killAtMs - KILL_WINDOW.beforeMs) {
    return `its endpoint turned not-serving (readiness failed) ${start === undefined ? '' : `${f.endpointNotServingAtMs - start} ms after deletion `}before the kill`;
  }
  const closed = failed.find((r) => r.pod === f.pod && r.reusedSocket && (r.errorCode === 'SOCKET_CLOSED' || r.errorCode === 'ECONNRESET')
    && start !== undefined && r.startMs >= start && (r.endMs ?? Infinity) < killAtMs - KILL_WINDOW.beforeMs);
  return closed ? 'it closed a keep-alive connection before the kill' : undefined;
}

/** Pods that ended with exit code 137 (SIGKILL; an OOM kill is not a drain). */
export function killsOf(facts: Iterable<PodFacts>, failed: readonly RequestRecord[] = []): Kill[] {
  const kills: Kill[] = [];
  for (const f of facts) {
    if (f.exitCode !== 137 || f.exitAtMs === undefined || f.exitReason === 'OOMKilled') continue;
    const drainingSign = drainingSignBefore(f, f.exitAtMs, failed);
    kills.push({ pod: f.pod, atMs: f.exitAtMs, ...(drainingSign ? { drainingSign } : {}) });
  }
  return kills;
}

export const killClass = (kill: Kill): FailureClass => (kill.drainingSign ? 'grace-too-short' : 'sigterm-ignored');

/** Killed by the kubelet at the grace deadline (exit 137 no earlier than deletionTimestamp, to its 1 s precision). */
export function killedAtDeadline(f: PodFacts): boolean | undefined {
  if (f.exitCode === undefined) return undefined;
  if (f.exitCode !== 137) return false;
  const exitAtMs = f.finishedAtMs ?? f.exitAtMs;
  if (f.killDeadlineAtMs === undefined || exitAtMs === undefined) return undefined;
  return exitAtMs >= f.killDeadlineAtMs - KUBERNETES_TIMESTAMP_PRECISION_MS;
}

/** How far apart the client's and the proxy's view of one request may be: log precision and the hop itself. */
export const PROXY_MATCH_SLACK_MS = 250;

/** The proxy's status that stands for a client's failure: the same status, or 499 for a client that timed out waiting. */
const proxyStatusFor = (record: RequestRecord): number | undefined => (record.errorCode === 'HTTP_STATUS' ? record.status : record.errorCode === 'TIMEOUT' || record.outcome === 'in-flight' ? 499 : undefined);

/**
 * Pairs failed requests with the errors the proxy logged as its own (the same status — 499 for a client timeout —
 * and the proxy's receive time within the client's request ± slack), each proxy error used once. Records with no
 * such error came from the app (or a proxy we do not see).
 */
export function proxyErrorsOf(timeline: Timeline): Map<number, ProxyError> {
  const matched = new Map<number, ProxyError>();
  if (timeline.proxy?.source !== 'access-log') return matched;
  const unused = [...timeline.proxy.errors].sort((a, b) => a.atMs - b.atMs);
  const failed = timeline.requests.filter((r) => proxyStatusFor(r) !== undefined).sort((a, b) => a.startMs - b.startMs);
  for (const record of failed) {
    const endMs = record.endMs ?? timeline.endMs;
    const status = proxyStatusFor(record);
    const i = unused.findIndex((e) => e.status === status && e.atMs >= record.startMs - PROXY_MATCH_SLACK_MS && e.atMs <= endMs + PROXY_MATCH_SLACK_MS);
    if (i < 0) continue;
    matched.set(record.seq, unused[i] as ProxyError);
    unused.splice(i, 1);
  }
  return matched;
}

export interface RequestClassifier {
  classify(record: RequestRecord): FailureClass;
  /**
   * An unannounced close of an idle pooled connection is the keep-alive race's hazard while a pod drains (a client
   * sending at that instant fails); at a SIGKILL it belongs to the kill, and away from any termination it is
   * HTTP's ordinary keep-alive timeout (undefined: not a finding).
   */
  idleCloseClass(close: IdleClose): FailureClass | undefined;
}

export function requestClassifier(timeline: Timeline, knownKills?: readonly Kill[]): RequestClassifier {
  const facts = [...podFacts(timeline).values()];
  const failed = timeline.requests.filter((r) => r.outcome !== 'ok');
  const kills = knownKills ?? killsOf(facts, failed);
  const lagMs = timeline.routingLagMs ?? DEFAULT_ROUTING_LAG_MS;

  /** The pod was terminating at `atMs` and kube-proxy may still have routed new connections to it. */
  const routedWhileTerminating = (f: PodFacts, atMs: number): boolean => {
    const start = deletionStartMs(f);
    if (start === undefined || start > atMs) return false;
    const leftEndpointsAtMs = f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs;
    return leftEndpointsAtMs === undefined || atMs <= leftEndpointsAtMs + lagMs;
  };
  /** Some pod was between its deletion and its exit (plus routing lag): the failure can belong to a drain. */
  const nearTermination = (atMs: number): boolean => facts.some((f) => {
    const start = deletionStartMs(f);
    if (start === undefined || atMs < start - lagMs) return false;
    const endMs = f.exitAtMs ?? f.endpointRemovedAtMs;
    return endMs === undefined || atMs <= endMs + lagMs;
  });

  const proxyErrors = proxyErrorsOf(timeline);
  /** An error the proxy made itself: named by what it tried and the state of the pod it tried. */
  const proxyClass = (error: ProxyError, atMs: number): FailureClass => {
    if (error.status === 503 && error.upstream === undefined) return readyPodsAt(timeline, atMs) === 0 ? 'no-endpoints' : 'proxy-no-endpoints';
    const pod = error.pod === undefined ? undefined : facts.find((f) => f.pod === error.pod);
    const start = pod === undefined ? undefined : deletionStartMs(pod);
    if (start !== undefined && start <= atMs) return 'proxy-upstream-failed';
    return nearTermination(atMs) ? 'proxy-upstream-failed' : 'outside-termination';
  };

  const atKill = (atMs: number, pod: string | undefined) => kills.find((k) => (pod === undefined || pod === k.pod) && atMs >= k.atMs - KILL_WINDOW.beforeMs && atMs <= k.atMs + KILL_WINDOW.afterMs);

  return {
    idleCloseClass(close) {
      if (atKill(close.atMs, close.pod)) return undefined;
      return nearTermination(close.atMs) ? 'keepalive-race' : undefined;
    },
    classify(record) {
      const endMs = record.endMs ?? timeline.endMs;
      const code = record.errorCode ?? (record.outcome === 'in-flight' ? 'TIMEOUT' : 'OTHER');
      const proxyError = proxyErrors.get(record.seq);
      if (proxyError) return proxyClass(proxyError, proxyError.atMs);
      if (CONNECTION_ERRORS.has(code)) {
        const kill = kills.find((k) => (record.pod === undefined || record.pod === k.pod) && record.startMs <= k.atMs && endMs >= k.atMs - KILL_WINDOW.beforeMs && endMs <= k.atMs + KILL_WINDOW.afterMs);
        if (kill) return killClass(kill);
      }
      if (readyPodsAt(timeline, record.startMs) === 0) return 'no-endpoints';
      // Through the ingress the client's connections end at the proxy: kube-proxy's routing says nothing about them.
      if (timeline.via === 'ingress' && code !== 'HTTP_STATUS') return nearTermination(record.startMs) ? 'other' : 'outside-termination';
      if (code === 'HTTP_STATUS') return 'bad-status';
      if (!CONNECTION_ERRORS.has(code)) return 'other';
      if (!nearTermination(record.startMs)) return 'outside-termination';
      if (record.reusedSocket) return code === 'TIMEOUT' ? 'other' : 'keepalive-race';
      if (record.bytes > 0) return 'other';
      // A fresh connection that failed before any byte arrived: nothing was listening where kube-proxy still sent it.
      // (Through Docker's port publishing a refusal reaches the client as a reset or an immediate close.)
      if (facts.some((f) => routedWhileTerminating(f, record.startMs))) return 'refused-before-endpoint-removal';
      // No terminating pod was routed: the Service had just had no ready pod and kube-proxy had not yet programmed
      // the new ones (Recreate), which is still the outage, not an app that stopped listening early.
      return readyPodsAt(timeline, record.startMs - lagMs) === 0 ? 'no-endpoints' : 'other';
    },
  };
}
