// Other drainspec runs on the same cluster, seen through the namespaces they labelled. Only namespaces carrying
// BOTH labels (managed-by=drainspec and a run id) are ever considered; unlabelled namespaces are never touched.
//
// Staleness rule: a run creates one namespace per scenario and deletes it when the scenario ends, so a live run's
// newest namespace is never older than one scenario. A run whose newest namespace is older than STALE_RUN_AFTER_MS
// (1 h, far above a scenario's length at any default) is a run that died (SIGKILL, a lost machine): its namespaces
// are removed. A younger one is taken as a live run.
import type { V1Namespace } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from './namespace.ts';

export const STALE_RUN_AFTER_MS = 60 * 60_000;

export interface OtherRun {
  runId: string;
  /** Its namespaces not already being deleted. */
  namespaces: string[];
  /** Age of its newest namespace. */
  newestAgeMs: number;
}

/** Groups labelled namespaces of runs other than `runId` (pure; Terminating ones are already going and left out). */
export function otherRunsOf(namespaces: readonly V1Namespace[], runId: string, nowMs: number): { live: OtherRun[]; stale: OtherRun[] } {
  const byRun = new Map<string, OtherRun>();
  for (const ns of namespaces) {
    const labels = ns.metadata?.labels ?? {};
    const id = labels[RUN_ID_LABEL];
    const name = ns.metadata?.name;
    if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || !id || id === runId || !name || ns.metadata?.deletionTimestamp) continue;
    const created = ns.metadata?.creationTimestamp ? new Date(ns.metadata.creationTimestamp).getTime() : nowMs;
    const run = byRun.get(id) ?? { runId: id, namespaces: [], newestAgeMs: Number.POSITIVE_INFINITY };
    run.namespaces.push(name);
    run.newestAgeMs = Math.min(run.newestAgeMs, Math.max(0, nowMs - created));
    byRun.set(id, run);
  }
  const runs = [...byRun.values()];
  return { live: runs.filter((r) => r.newestAgeMs < STALE_RUN_AFTER_MS), stale: runs.filter((r) => r.newestAgeMs >= STALE_RUN_AFTER_MS) };
}

export async function listOtherRuns(clients: KubeClients, runId: string, nowMs = Date.now()): Promise<{ live: OtherRun[]; stale: OtherRun[] }> {
  const list = await clients.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}` });
  return otherRunsOf(list.items, runId, nowMs);
}

/** Starts deleting a dead run's namespaces (re-checking both labels on each); does not wait for them to go. */
export async function removeStaleRun(clients: KubeClients, run: OtherRun): Promise<void> {
  for (const name of run.namespaces) {
    const ns = await clients.core.readNamespace({ name });
    const labels = ns.metadata?.labels ?? {};
    if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || labels[RUN_ID_LABEL] !== run.runId) continue;
    await clients.core.deleteNamespace({ name });
  }
}

/** "run 260301120000-abc (namespace drainspec-…-3, 40 s old)". */
export function describeRun(run: OtherRun): string {
  const age = run.newestAgeMs < 120_000 ? `${Math.round(run.newestAgeMs / 1000)} s` : `${Math.round(run.newestAgeMs / 60_000)} min`;
  return `run ${run.runId} (namespace ${run.namespaces.join(', ')}, ${age} old)`;
}
