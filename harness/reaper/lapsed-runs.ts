// Runs that are gone, judged from the cluster alone: every namespace of the run has a Lease that lapsed, or has no
// Lease and is old. What a later run's start-up calls on any cluster (the reaper process only covers runs on this
// machine that it watched), and what `reapLapsedRuns` removes — only namespaces with drainspec's labels.
import type { V1Lease, V1Namespace } from '@kubernetes/client-node';
import { measureClockOffset } from '../k8s/api-server-clock.ts';
import { apiErrorReason, type KubeClients } from '../k8s/client.ts';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../k8s/namespace.ts';
import { formatElapsed } from '../progress/progress.ts';
import { cleanupRunOnCluster, type CleanupResult } from './cleanup.ts';
import { RUN_LEASE } from './lease.ts';

export interface LapsedRun {
  runId: string;
  namespaces: string[];
  /** Why it counts as gone, for a progress line: "lease last renewed 3m12s ago by host/pid". */
  reason: string;
}

export interface LapsedOptions {
  /** API server clock − this machine's clock; measured (≤ 3 s) when absent. */
  clockOffsetMs?: number;
  /** A namespace with no Lease (a drainspec before leases, or RBAC without leases) counts as lapsed at this age. */
  noLeaseAfterMs?: number;
  /** Renewal lateness tolerated beyond the lease duration (offset uncertainty on both machines, a slow renewal). */
  slackMs?: number;
  now?: () => number;
}

export const LAPSE_DEFAULTS = { noLeaseAfterMs: 15 * 60_000, slackMs: 10_000 } as const;

const managedRunSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}`;

/** Pure: which runs lapsed at server time `serverNowMs`, given their namespaces and leases. */
export function judgeRuns(namespaces: readonly V1Namespace[], leases: ReadonlyMap<string, V1Lease>, serverNowMs: number, options: Required<Pick<LapsedOptions, 'noLeaseAfterMs' | 'slackMs'>>): LapsedRun[] {
  const byRun = new Map<string, { namespaces: string[]; aliveUntilMs: number; reason: string }>();
  for (const ns of namespaces) {
    const labels = ns.metadata?.labels ?? {};
    const runId = labels[RUN_ID_LABEL];
    const name = ns.metadata?.name;
    if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || !runId || !name || ns.metadata?.deletionTimestamp) continue;
    const lease = leases.get(name)?.spec;
    const renewedMs = lease?.renewTime ? new Date(lease.renewTime).getTime() : undefined;
    const createdMs = ns.metadata?.creationTimestamp ? new Date(ns.metadata.creationTimestamp).getTime() : serverNowMs;
    const aliveUntilMs = renewedMs !== undefined
      ? renewedMs + (lease?.leaseDurationSeconds ?? RUN_LEASE.durationSeconds) * 1000 + options.slackMs
      : createdMs + options.noLeaseAfterMs;
    const reason = renewedMs !== undefined
      ? `lease last renewed ${formatElapsed(serverNowMs - renewedMs)} ago by ${lease?.holderIdentity ?? 'an unknown holder'}`
      : `no lease, namespace ${formatElapsed(serverNowMs - createdMs)} old`;
    const run = byRun.get(runId) ?? { namespaces: [], aliveUntilMs: -Infinity, reason };
    run.namespaces.push(name);
    if (aliveUntilMs > run.aliveUntilMs) Object.assign(run, { aliveUntilMs, reason });
    byRun.set(runId, run);
  }
  return [...byRun].filter(([, run]) => run.aliveUntilMs < serverNowMs).map(([runId, run]) => ({ runId, namespaces: run.namespaces.sort(), reason: run.reason }));
}

/** The run leases, by namespace: one cluster-wide list, or one read per namespace where RBAC allows only that. */
async function runLeases(clients: KubeClients, namespaces: readonly V1Namespace[]): Promise<Map<string, V1Lease>> {
  const leases = new Map<string, V1Lease>();
  try {
    const list = await clients.coordination.listLeaseForAllNamespaces({ labelSelector: managedRunSelector });
    for (const lease of list.items) if (lease.metadata?.name === RUN_LEASE.name && lease.metadata.namespace) leases.set(lease.metadata.namespace, lease);
    return leases;
  } catch (error) {
    if ((error as { code?: number }).code !== 403) throw error;
  }
  for (const ns of namespaces) {
    const namespace = ns.metadata?.name ?? '';
    const lease = await clients.coordination.readNamespacedLease({ name: RUN_LEASE.name, namespace }).catch((error: unknown) => {
      // Not found, or no right to read leases at all: judged as a namespace without a lease (by its age).
      if ([403, 404].includes((error as { code?: number }).code ?? 0)) return undefined;
      throw error;
    });
    if (lease) leases.set(namespace, lease);
  }
  return leases;
}

/** Runs whose namespaces are all unclaimed: their leases lapsed (or, without a lease, they are old). */
export async function lapsedRuns(clients: KubeClients, options: LapsedOptions = {}): Promise<LapsedRun[]> {
  const namespaces = (await clients.core.listNamespace({ labelSelector: managedRunSelector })).items;
  if (namespaces.length === 0) return [];
  const leases = await runLeases(clients, namespaces);
  const offsetMs = options.clockOffsetMs ?? (await measureClockOffset(clients).then((c) => c.offsetMs, () => 0));
  const serverNowMs = (options.now ?? Date.now)() + offsetMs;
  return judgeRuns(namespaces, leases, serverNowMs, { ...LAPSE_DEFAULTS, ...definedOnly(options) });
}

/** Deletes the namespaces (and cordons) of every lapsed run; returns what it found and removed. */
export async function reapLapsedRuns(clients: KubeClients, options: LapsedOptions & { deadlineMs?: number; log(line: string): void }): Promise<Array<LapsedRun & { result: CleanupResult }>> {
  const deadlineAt = Date.now() + (options.deadlineMs ?? 30_000);
  const reaped: Array<LapsedRun & { result: CleanupResult }> = [];
  for (const run of await lapsedRuns(clients, options)) {
    options.log(`removing run ${run.runId}'s namespaces ${run.namespaces.join(', ')}: ${run.reason}`);
    const result = await cleanupRunOnCluster(clients, run.runId, { deadlineAt, waitGone: false, log: options.log }).catch((error: unknown) => ({
      complete: false, namespaces: [], uncordoned: [], problems: [apiErrorReason(error)],
    }));
    reaped.push({ ...run, result });
  }
  return reaped;
}

function definedOnly(options: LapsedOptions): Partial<Pick<LapsedOptions, 'noLeaseAfterMs' | 'slackMs'>> {
  return {
    ...(options.noLeaseAfterMs !== undefined ? { noLeaseAfterMs: options.noLeaseAfterMs } : {}),
    ...(options.slackMs !== undefined ? { slackMs: options.slackMs } : {}),
  };
}
