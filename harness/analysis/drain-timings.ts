// Per-pod drain timings for every pod that terminated during the scenario (pure). Every app gets the timings
// Kubernetes and the network record; the app's own lifecycle lines (sample apps) add SIGTERM-relative ones.
// A value that cannot be known is left undefined (shown as unknown), never estimated from the app's silence.
import type { ConnectionEvidence, Timeline } from '../model/run-data.ts';
import { servedCount } from '../model/served.ts';
import { killedAtDeadline } from './classify.ts';
import type { PodFacts } from './pod-facts.ts';
import { lastRoutedAtMs, routedCount } from './proxy-routing.ts';

export interface PodDrain {
  pod: string;
  terminatingAtMs: number;
  /** terminating → SIGKILL deadline (metadata.deletionTimestamp). */
  killDeadlineMs?: number;
  gracePeriodSeconds?: number;
  /** The container's preStop hook ('none' when it has none); undefined when unknown. */
  preStop?: string;
  /** terminating → endpoint no longer ready (or gone). */
  endpointRemovalMs?: number;
  /** terminating → endpoint not serving (the pod's readiness failed). */
  endpointNotServingMs?: number;
  /** SIGTERM (as the app logged it) → container exit. Absent when the app logged no SIGTERM. */
  sigtermToExitMs?: number;
  /** terminating → container exit: what the grace period bounds (includes any preStop). */
  terminatingToExitMs?: number;
  /**
   * The drain judged against --max-drain-ms: SIGTERM → exit from the app's line, else terminating → exit less a
   * preStop sleep of known length. Unknown for an exec/httpGet preStop on an app that logs nothing.
   */
  drainMs?: number;
  /** terminating → the kubelet's finishedAt (1 s precision). */
  finishedAfterTerminatingMs?: number;
  sigtermToReadinessOffMs?: number;
  sigtermToListenerClosedMs?: number;
  /** Requests this pod answered that started after it began terminating (to the 100 ms); undefined without attribution. */
  servedAfterTerminating?: number;
  /** Connections to this pod that carried traffic after it began terminating (conntrack); undefined without it. */
  connectionsAfterTerminating?: number;
  /** Requests the ingress proxy sent this pod after it began terminating (its access log); undefined without one. */
  proxyRoutedAfterTerminating?: number;
  /**
   * The proxy's last request to this pod, relative to its endpoint leaving (not ready or gone): how long the proxy
   * went on routing by the old endpoints. Negative: it had stopped before. Undefined without an access log.
   */
  proxyLastRoutedAfterEndpointRemovalMs?: number;
  /** Last response this pod served, relative to terminating start. */
  lastServedAfterTerminatingMs?: number;
  lastServedAtMs?: number;
  exitCode?: number;
  exitReason?: string;
  sigkilled: boolean;
  /** SIGKILLed by the kubelet at the deadline; undefined when the deadline or exit time is unknown. */
  killedAtDeadline?: boolean;
}

const delta = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);

/** Seconds of a `sleep Ns` preStop (the sleep action or an exec of sleep); undefined when its length is unknown. */
export function preStopSleepMs(preStop: string | undefined): number | undefined {
  if (preStop === 'none') return 0;
  const match = /sleep (\d+(?:\.\d+)?)s?$/.exec(preStop ?? '');
  return match ? Number(match[1]) * 1000 : undefined;
}

/** Connections to `pod` whose byte counters grew at or after `fromMs`; undefined without conntrack evidence. */
export function activeConnectionsAfter(evidence: ConnectionEvidence | undefined, pod: string, fromMs: number): number | undefined {
  if (evidence?.source !== 'conntrack') return undefined;
  return (evidence.pods[pod] ?? []).filter((c) => c.activeAtMs.some((t) => t >= fromMs)).length;
}

/** Whether responses named the pod that served them (the sample app's header); otherwise per-pod counts are unknown. */
export const hasHeaderAttribution = (timeline: Timeline) => Object.keys(timeline.served.pods).some((pod) => pod !== '');

export function drainTimings(timeline: Timeline, facts: ReadonlyMap<string, PodFacts>): PodDrain[] {
  const drains: PodDrain[] = [];
  const attributed = hasHeaderAttribution(timeline);
  for (const f of facts.values()) {
    if (f.terminatingAtMs === undefined) continue;
    const servedAfterTerminating = attributed ? servedCount(timeline.served, { pod: f.pod, fromMs: f.terminatingAtMs }) : undefined;
    const lastServedAtMs = timeline.served.pods[f.pod]?.lastEndMs;
    const sigtermToExitMs = delta(f.sigtermAtMs, f.exitAtMs);
    const terminatingToExitMs = delta(f.terminatingAtMs, f.exitAtMs);
    const preStopMs = preStopSleepMs(f.preStop);
    const endpointLeftAtMs = f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs;
    drains.push({
      pod: f.pod,
      terminatingAtMs: f.terminatingAtMs,
      killDeadlineMs: delta(f.terminatingAtMs, f.killDeadlineAtMs),
      gracePeriodSeconds: f.gracePeriodSeconds,
      preStop: f.preStop,
      endpointRemovalMs: delta(f.terminatingAtMs, f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs),
      endpointNotServingMs: delta(f.terminatingAtMs, f.endpointNotServingAtMs),
      sigtermToExitMs,
      terminatingToExitMs,
      drainMs: sigtermToExitMs ?? (terminatingToExitMs !== undefined && preStopMs !== undefined ? Math.max(0, terminatingToExitMs - preStopMs) : undefined),
      finishedAfterTerminatingMs: delta(f.terminatingAtMs, f.finishedAtMs),
      sigtermToReadinessOffMs: delta(f.sigtermAtMs, f.readinessOffAtMs),
      sigtermToListenerClosedMs: delta(f.sigtermAtMs, f.listenerClosedAtMs),
      servedAfterTerminating,
      connectionsAfterTerminating: activeConnectionsAfter(timeline.connections, f.pod, f.terminatingAtMs),
      proxyRoutedAfterTerminating: routedCount(timeline.proxy, f.pod, f.terminatingAtMs),
      proxyLastRoutedAfterEndpointRemovalMs: delta(endpointLeftAtMs, lastRoutedAtMs(timeline.proxy, f.pod)),
      lastServedAfterTerminatingMs: servedAfterTerminating ? delta(f.terminatingAtMs, lastServedAtMs) : undefined,
      lastServedAtMs,
      exitCode: f.exitCode,
      exitReason: f.exitReason,
      sigkilled: f.exitCode === 137,
      killedAtDeadline: killedAtDeadline(f),
    });
  }
  return drains.sort((a, b) => a.terminatingAtMs - b.terminatingAtMs);
}
