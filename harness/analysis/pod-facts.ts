// Per-pod facts joined from what Kubernetes recorded (pod status, EndpointSlice conditions) and, for apps that
// print them, their lifecycle lines; plus the Service's ready-pod count over time.
import type { Timeline } from '../model/run-data.ts';

/** Kubernetes timestamps (deletionTimestamp, finishedAt) are whole seconds. */
export const KUBERNETES_TIMESTAMP_PRECISION_MS = 1_000;

export interface PodFacts {
  pod: string;
  createdAtMs?: number;
  readyAtMs?: number;
  /** The watch saw metadata.deletionTimestamp (arrival, harness clock). */
  terminatingAtMs?: number;
  /** metadata.deletionTimestamp: the kubelet's SIGKILL deadline (1 s precision). */
  killDeadlineAtMs?: number;
  gracePeriodSeconds?: number;
  preStop?: string;
  /** App lifecycle lines (sample apps only). */
  sigtermAtMs?: number;
  readinessOffAtMs?: number;
  listenerClosedAtMs?: number;
  /** Container exit: the app's own line when it printed one, else the watch's arrival capped at finishedAt + 1 s. */
  exitAtMs?: number;
  /** The kubelet's finishedAt (1 s precision). */
  finishedAtMs?: number;
  exitCode?: number;
  exitReason?: string;
  endpointNotReadyAtMs?: number;
  /** The endpoint's `serving` condition turned false: the pod's readiness failed, it signalled that it drains. */
  endpointNotServingAtMs?: number;
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
    if (e.kind === 'terminating') {
      f.terminatingAtMs = first(f.terminatingAtMs, e.atMs);
      f.killDeadlineAtMs ??= e.killDeadlineAtMs;
      f.gracePeriodSeconds ??= e.gracePeriodSeconds;
      f.preStop ??= e.preStop;
    }
    if (e.kind === 'endpoint-not-ready') f.endpointNotReadyAtMs = first(f.endpointNotReadyAtMs, e.atMs);
    if (e.kind === 'endpoint-not-serving') f.endpointNotServingAtMs = first(f.endpointNotServingAtMs, e.atMs);
    if (e.kind === 'endpoint-removed') f.endpointRemovedAtMs = first(f.endpointRemovedAtMs, e.atMs);
    if (e.kind === 'terminated') {
      // The last exit is the final one (an earlier one was a restart). The watch sees it up to ~2.5 s late (the
      // kubelet's status relist); finishedAt is whole seconds, so the exit happened before finishedAt + 1 s.
      f.exitAtMs = Math.min(e.atMs, e.finishedAtMs === undefined ? Infinity : e.finishedAtMs + KUBERNETES_TIMESTAMP_PRECISION_MS - 1);
      f.exitCode = e.exitCode;
      f.exitReason = e.reason;
      f.finishedAtMs = e.finishedAtMs;
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

/** When termination began: the app's own SIGTERM line when it precedes the watch's deletion event. */
export function terminationStartMs(f: PodFacts): number | undefined {
  const start = Math.min(f.terminatingAtMs ?? Infinity, f.sigtermAtMs ?? Infinity);
  return Number.isFinite(start) ? start : undefined;
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
