// Removes what one run left, within a deadline: the kind cluster it created (unless kept once ready) — which takes
// everything else with it — or else its labelled namespaces and its node-drain cordon. Used by the run on a signal
// (its stop budget) and by its reaper after the run was killed. Never touches anything not marked as this run's.
import { basename } from 'node:path';
import { PatchStrategy, setHeaderOptions, type V1Namespace } from '@kubernetes/client-node';
import { binariesReady } from '../cluster/airgap/binaries.ts';
import { kindBinary } from '../cluster/kind-cluster.ts';
import { apiErrorReason, connect, type KubeClients } from '../k8s/client.ts';
import { MANAGED_BY, MANAGED_BY_LABEL, namespaceName, RUN_ID_LABEL } from '../k8s/namespace.ts';
import { CORDONED_FOR_ANNOTATION } from '../k8s/rollout.ts';
import { hasCommand, sh } from '../sh.ts';
import { clusterToDelete, type RunFootprint } from './footprint.ts';
import { findProcesses } from './proc.ts';

export interface CleanupOptions {
  /** Epoch ms by which cleanup gives up (every request and command is cut there). */
  deadlineAt: number;
  /** Wait until the namespaces are gone (the reaper), or only until their deletion is accepted (a signal's budget). */
  waitGone: boolean;
  log(line: string): void;
}

export interface CleanupResult {
  /** Nothing of the run is left (or, without waitGone, everything left is being deleted). */
  complete: boolean;
  clusterDeleted?: string;
  namespaces: string[];
  uncordoned: string[];
  problems: string[];
}

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const remaining = (deadlineAt: number) => Math.max(0, deadlineAt - Date.now());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runSelector = (runId: string) => `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}=${runId}`;

/** The run's own namespaces: selected by both labels and checked again on each object. */
export async function listRunNamespaces(clients: KubeClients, runId: string): Promise<V1Namespace[]> {
  const list = await clients.core.listNamespace({ labelSelector: runSelector(runId) });
  return list.items.filter((ns) => ns.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && ns.metadata?.labels?.[RUN_ID_LABEL] === runId);
}

export async function cleanupRun(footprint: RunFootprint, options: CleanupOptions): Promise<CleanupResult> {
  const cluster = clusterToDelete(footprint);
  if (cluster) {
    const problems: string[] = [];
    const deleted = await deleteKindCluster(cluster, options, problems);
    return { complete: deleted, ...(deleted ? { clusterDeleted: cluster } : {}), namespaces: [], uncordoned: [], problems };
  }
  // No clients yet: the run had not reached a cluster, so it created nothing there.
  if (!footprint.context) return { complete: true, namespaces: [], uncordoned: [], problems: [] };
  const clients = connect(footprint.context, footprint.kubeconfig ?? '', { signal: AbortSignal.timeout(remaining(options.deadlineAt)), requestTimeoutMs: 5_000 });
  return cleanupRunOnCluster(clients, footprint.runId, options);
}

/** The namespaces and cordons of run `runId` on the cluster `clients` reach (no cluster deletion). */
export async function cleanupRunOnCluster(clients: KubeClients, runId: string, options: CleanupOptions): Promise<CleanupResult> {
  const problems: string[] = [];
  const [namespaces, uncordoned] = await Promise.all([deleteRunNamespaces(clients, runId, options, problems), uncordonRunNodes(clients, runId, problems)]);
  return { complete: namespaces.complete && problems.length === 0, namespaces: namespaces.deleted, uncordoned, problems };
}

async function deleteRunNamespaces(clients: KubeClients, runId: string, options: CleanupOptions, problems: string[]): Promise<{ deleted: string[]; complete: boolean }> {
  const deleted = new Set<string>();
  let lastProblem = '';
  // Bounded by the deadline (every request is cut there) and by a count, whatever the API answers.
  for (let attempt = 0; attempt < 120 && remaining(options.deadlineAt) > 0; attempt++) {
    let namespaces: V1Namespace[] | undefined;
    try {
      namespaces = await listRunNamespaces(clients, runId);
    } catch (error) {
      lastProblem = `list namespaces: ${apiErrorReason(error)}`;
    }
    const pending = namespaces?.filter((ns) => !ns.metadata?.deletionTimestamp) ?? [];
    for (const ns of pending) {
      const name = ns.metadata?.name ?? '';
      // The uid precondition: only the very namespace listed with our labels is deleted, never a namesake.
      await clients.core.deleteNamespace({ name, body: { preconditions: { uid: ns.metadata?.uid } } }).catch((error: unknown) => {
        if ((error as { code?: number }).code !== 404) lastProblem = `delete namespace ${name}: ${apiErrorReason(error)}`;
      });
    }
    for (const ns of namespaces ?? []) deleted.add(ns.metadata?.name ?? '');
    if (namespaces && (namespaces.length === 0 || (!options.waitGone && pending.length === 0))) return { deleted: [...deleted], complete: true };
    await pause(Math.min(options.waitGone ? 1_000 : 250, remaining(options.deadlineAt)));
  }
  if (lastProblem) problems.push(lastProblem);
  return { deleted: [...deleted], complete: false };
}

/** Undoes node-drain's cordon on the nodes this run's scenarios cordoned (marked by annotation), and no others. */
async function uncordonRunNodes(clients: KubeClients, runId: string, problems: string[]): Promise<string[]> {
  const prefix = namespaceName(runId, 0).replace(/0$/, '');
  try {
    const nodes = (await clients.core.listNode()).items.filter((n) => n.metadata?.annotations?.[CORDONED_FOR_ANNOTATION]?.startsWith(prefix));
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      await clients.core.patchNode({ name, body: { metadata: { annotations: { [CORDONED_FOR_ANNOTATION]: null } }, spec: { unschedulable: false } } }, strategicMerge);
    }
    return nodes.map((n) => n.metadata?.name ?? '');
  } catch (error) {
    // A namespace-scoped user may not list nodes; such a run never cordons (node-drain needs a cluster it created).
    if ((error as { code?: number }).code !== 403) problems.push(`uncordon: ${apiErrorReason(error)}`);
    return [];
  }
}

const kindNodesFilter = (name: string) => `label=io.x-k8s.kind.cluster=${name}`;

/** Node containers of kind cluster `name` (their ids), or undefined when the engine does not answer. */
export async function kindNodeContainers(name: string, timeoutMs = 10_000): Promise<string[] | undefined> {
  const out = await sh`docker ps -aq --filter ${kindNodesFilter(name)}`.nothrow().timeout(timeoutMs);
  return out.exitCode === 0 ? out.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : undefined;
}

/** `kind create cluster … --name <name> …` */
export function isKindCreate(argv: readonly string[], name: string): boolean {
  return basename(argv[0] ?? '') === 'kind' && argv[1] === 'create' && argv[2] === 'cluster' && argv.some((a, i) => (a === '--name' && argv[i + 1] === name) || a === `--name=${name}`);
}

/** Stops an in-flight `kind create cluster --name <name>` first, so the cluster cannot reappear after its deletion. */
async function deleteKindCluster(name: string, options: CleanupOptions, problems: string[]): Promise<boolean> {
  const creating = findProcesses((stat) => stat.comm === 'kind', (argv) => isKindCreate(argv, name));
  for (const pid of creating) {
    try {
      process.kill(pid, 'SIGKILL');
      options.log(`stopped kind create cluster ${name} (pid ${pid})`);
    } catch {
      // Already gone.
    }
  }
  // Any kind deletes by label: the one on PATH, else the built one — never a build started from here.
  const kind = (await hasCommand('kind')) ? 'kind' : binariesReady() ? await kindBinary() : undefined;
  for (let attempt = 0; attempt < 5 && remaining(options.deadlineAt) > 0; attempt++) {
    const budget = Math.max(1, remaining(options.deadlineAt));
    // kind deletes the node containers and the kubeconfig context; without kind, the containers alone.
    if (kind) await sh`${kind} delete cluster --name ${name}`.nothrow().timeout(budget);
    else {
      const ids = (await kindNodeContainers(name, budget)) ?? [];
      if (ids.length > 0) await sh`docker rm -f -v ${ids}`.nothrow().timeout(budget);
    }
    const left = await kindNodeContainers(name, Math.max(1, remaining(options.deadlineAt)));
    if (left?.length === 0) {
      options.log(`deleted kind cluster ${name}`);
      return true;
    }
    await pause(Math.min(1_000, remaining(options.deadlineAt)));
  }
  problems.push(`kind cluster ${name} still has node containers: delete it with kind delete cluster --name ${name}`);
  return false;
}
