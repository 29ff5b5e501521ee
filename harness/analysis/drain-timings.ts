// Per-pod drain timings for every pod that terminated during the scenario (pure).
import type { Timeline } from '../model/run-data.ts';
import { servedCount } from '../model/served.ts';
import type { PodFacts } from './pod-facts.ts';

export interface PodDrain {
  pod: string;
  terminatingAtMs: number;
  /** deletionTimestamp seen → endpoint no longer ready (or gone). */
  endpointRemovalMs?: number;
  /** SIGTERM (as the app logged it) → container exit. Absent when the app never saw SIGTERM. */
  sigtermToExitMs?: number;
  /** deletionTimestamp → container exit: what the grace period bounds. */
  terminatingToExitMs?: number;
  sigtermToReadinessOffMs?: number;
  sigtermToListenerClosedMs?: number;
  /** Requests this pod answered that started after it began terminating (to the 100 ms). */
  servedAfterTerminating: number;
  /** Last response this pod served, relative to terminating start. */
  lastServedAfterTerminatingMs?: number;
  lastServedAtMs?: number;
  exitCode?: number;
  sigkilled: boolean;
}

const delta = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);

export function drainTimings(timeline: Timeline, facts: ReadonlyMap<string, PodFacts>): PodDrain[] {
  const drains: PodDrain[] = [];
  for (const f of facts.values()) {
    if (f.terminatingAtMs === undefined) continue;
    const servedAfterTerminating = servedCount(timeline.served, { pod: f.pod, fromMs: f.terminatingAtMs });
    const lastServedAtMs = timeline.served.pods[f.pod]?.lastEndMs;
    drains.push({
      pod: f.pod,
      terminatingAtMs: f.terminatingAtMs,
      endpointRemovalMs: delta(f.terminatingAtMs, f.endpointNotReadyAtMs ?? f.endpointRemovedAtMs),
      sigtermToExitMs: delta(f.sigtermAtMs, f.exitAtMs),
      terminatingToExitMs: delta(f.terminatingAtMs, f.exitAtMs),
      sigtermToReadinessOffMs: delta(f.sigtermAtMs, f.readinessOffAtMs),
      sigtermToListenerClosedMs: delta(f.sigtermAtMs, f.listenerClosedAtMs),
      servedAfterTerminating,
      lastServedAfterTerminatingMs: servedAfterTerminating > 0 ? delta(f.terminatingAtMs, lastServedAtMs) : undefined,
      lastServedAtMs,
      exitCode: f.exitCode,
      sigkilled: f.exitCode === 137,
    });
  }
  return drains.sort((a, b) => a.terminatingAtMs - b.terminatingAtMs);
}
