// Whether the cluster itself kept up: kube-proxy stops sending new connections to a pod within its routing lag of
// the pod's endpoint leaving the Service (derived from its measured sync period). A new connection that reached a
// terminating pod later than that, while another pod was ready to take it, shows a starved cluster (on a small
// machine: too many scenarios at once): whatever the app did then was luck, so no verdict is given.
import type { Timeline } from '../model/run-data.ts';
import { DEFAULT_ROUTING_LAG_MS } from './classify.ts';
import type { PodFacts } from './pod-facts.ts';

export interface LateRouting {
  pod: string;
  /** Endpoint left the Service → the earliest the late connection can have started. */
  lagMs: number;
  limitMs: number;
  /** What showed the connection: the app's pod header on a fresh connection, or the node's conntrack table. */
  source: 'header' | 'conntrack';
}

/** Earliest start of the last fresh-connection request `pod` served: the start of its last non-empty bucket. */
function lastFreshStartMs(timeline: Timeline, pod: string): number | undefined {
  const counts = timeline.served.pods[pod]?.fresh ?? [];
  for (let i = counts.length - 1; i >= 0; i--) if ((counts[i] ?? 0) > 0) return timeline.served.originMs + i * timeline.served.bucketMs;
  return undefined;
}

/** Earliest start of the last connection to `pod` conntrack saw appear (it appeared after the sample before). */
function lastConnectionStartMs(timeline: Timeline, pod: string): number | undefined {
  const evidence = timeline.connections;
  if (evidence?.source !== 'conntrack') return undefined;
  const gapMs = evidence.maxSampleGapMs ?? evidence.sampleIntervalMs;
  const starts = (evidence.pods[pod] ?? []).map((c) => c.firstSeenAtMs - gapMs);
  return starts.length > 0 ? Math.max(...starts) : undefined;
}

/** Whether a pod other than `pod` had been ready for a whole routing lag at `atMs` and was not yet terminating. */
function otherPodReady(facts: ReadonlyMap<string, PodFacts>, pod: string, atMs: number, lagMs: number): boolean {
  return [...facts.values()].some((f) => f.pod !== pod && f.readyAtMs !== undefined && f.readyAtMs + lagMs <= atMs && (f.terminatingAtMs === undefined || f.terminatingAtMs > atMs));
}

/**
 * The worst new connection kube-proxy routed to a terminating pod past its routing lag, or undefined. Through the
 * ingress the proxy routes (its own lag is evidence, not a fault): not judged here.
 */
export function lateRoutingOf(timeline: Timeline, facts: ReadonlyMap<string, PodFacts>): LateRouting | undefined {
  if (timeline.via === 'ingress') return undefined;
  const limitMs = timeline.routingLagMs ?? DEFAULT_ROUTING_LAG_MS;
  let worst: LateRouting | undefined;
  for (const f of facts.values()) {
    const leftAtMs = f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs;
    if (f.terminatingAtMs === undefined || leftAtMs === undefined) continue;
    for (const [source, startMs] of [['header', lastFreshStartMs(timeline, f.pod)], ['conntrack', lastConnectionStartMs(timeline, f.pod)]] as const) {
      if (startMs === undefined) continue;
      const lagMs = startMs - leftAtMs;
      if (lagMs > limitMs && lagMs > (worst?.lagMs ?? 0) && otherPodReady(facts, f.pod, startMs, limitMs)) worst = { pod: f.pod, lagMs, limitMs, source };
    }
  }
  return worst;
}

/** The reason no verdict is given when the cluster routed late; undefined otherwise. */
export function clusterStarvationOf(late: LateRouting | undefined): string | undefined {
  if (!late) return undefined;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `the cluster was starved: kube-proxy still sent a new connection to ${late.pod} ${s(late.lagMs)} after its endpoint left the Service (${late.source === 'header' ? 'its response named it' : 'conntrack'}; limit ${s(late.limitMs)} from kube-proxy's sync period) — run fewer scenarios at once (--parallel)`;
}
