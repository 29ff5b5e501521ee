// Per-pod facts joined from lifecycle logs and pod events, plus the Service's ready-pod count over time.
import type { Timeline } from '../model/run-data.ts';

export interface PodFacts {
  pod: string;
  createdAtMs?: number;
  readyAtMs?: number;
  terminatingAtMs?: number;
  sigtermAtMs?: number;
  readinessOffAtMs?: number;
  listenerClosedAtMs?: number;
  exitAtMs?: number;
  exitCode?: number;
  endpointNotReadyAtMs?: number;
  endpointRemovedAtMs?: number;
}

export function podFacts(timeline: Timeline): Map<string, PodFacts> {
  const facts = new Map<string, PodFacts>();
  const get = (pod: string) => facts.get(pod) ?? facts.set(pod, { pod }).get(pod) as PodFacts;
  const first = (current: number | undefined, atMs: number) => current ?? atMs;
  for (const e of timeline.pods) {
    const f = get(e.pod);
    if (e.kind === 'created') f.createdAtMs = first(f.createdAtMs, e.atMs);
    if (e.kind === 'ready') f.readyAtMs = first(f.readyAtMs, e.atMs);
    if (e.kind === 'terminating') f.terminatingAtMs = first(f.terminatingAtMs, e.atMs);
    if (e.kind === 'endpoint-not-ready') f.endpointNotReadyAtMs = first(f.endpointNotReadyAtMs, e.atMs);
    if (e.kind === 'endpoint-removed') f.endpointRemovedAtMs = first(f.endpointRemovedAtMs, e.atMs);
    if (e.kind === 'terminated') {
      f.exitAtMs = first(f.exitAtMs, e.atMs);
      f.exitCode ??= e.exitCode;
    }
  }
  for (const e of timeline.lifecycle) {
    const f = get(e.pod);
    if (e.event === 'sigterm') f.sigtermAtMs = first(f.sigtermAtMs, e.atMs);
    if (e.event === 'readiness-off') f.readinessOffAtMs = first(f.readinessOffAtMs, e.atMs);
    if (e.event === 'listener-closed') f.listenerClosedAtMs = first(f.listenerClosedAtMs, e.atMs);
    if (e.event === 'exit') {
      // The app's own clock is more precise than the watch's arrival time.
      f.exitAtMs = e.atMs;
      f.exitCode ??= e.code;
    }
  }
  return facts;
}

/** Number of pods the Service could route new connections to at `atMs` (ready and not terminating). */
export function readyPodsAt(timeline: Timeline, atMs: number): number {
  const ready = new Set<string>();
  for (const e of [...timeline.pods].sort((a, b) => a.atMs - b.atMs)) {
    if (e.atMs > atMs) break;
    if (e.kind === 'ready') ready.add(e.pod);
    if (e.kind === 'unready' || e.kind === 'terminating' || e.kind === 'deleted' || e.kind === 'terminated') ready.delete(e.pod);
  }
  return ready.size;
}
