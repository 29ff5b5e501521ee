// A namespace per scenario, labelled with the run id; only namespaces carrying our labels are ever deleted.
import type { KubeClients } from './client.ts';
import { waitFor, type WaitOptions } from './wait.ts';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'drainspec';
export const RUN_ID_LABEL = 'drainspec.io/run-id';
/** A released scenario's pods: SIGTERM, then SIGKILL a second later. */
const RELEASED_POD_GRACE_SECONDS = 1;

export interface RunNamespace extends AsyncDisposable {
  name: string;
  /** Deletes the namespace and waits for it to be gone (the dispose). */
  delete(): Promise<void>;
  /**
   * Ends a scenario without waiting on its pods: deletes the namespace's Services (their NodePorts free again, waited
   * for), asks for the namespace's deletion and shortens its pods' grace period. Whoever created the run waits for
   * the namespace to be gone (sweepRunNamespaces at the run's end).
   */
  release(): Promise<void>;
}

export function namespaceName(runId: string, index: number): string {
  return `drainspec-${runId}-${index}`.toLowerCase().slice(0, 63).replace(/-+$/, '');
}

export async function createRunNamespace(clients: KubeClients, runId: string, index: number): Promise<RunNamespace> {
  const name = namespaceName(runId, index);
  const create = () => clients.core.createNamespace({ body: { metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId } } } });
  await create().catch(async (error: unknown) => {
    // The same scenario again (another NodePort after the API refused one): its released namespace may still be
    // going. Wait for it to be gone, then create it anew.
    if ((error as { code?: number }).code !== 409) throw error;
    await waitNamespaceGone(clients, name, { what: `namespace ${name} to be deleted before it is created again`, timeoutMs: 120_000, intervalMs: 500, signal: clients.signal });
    await create();
  });
  // Deleted through the cleanup clients: after Ctrl-C the run's own clients refuse every request. A stopping run
  // does not wait for the namespace to be gone (its pods' grace periods): the deletion is accepted, that is enough.
  const remove = () => deleteOwnedNamespace(clients.cleanup, name, runId, { waitGone: !clients.signal?.aborted });
  const release = async () => {
    const core = clients.cleanup.core;
    const services = (await core.listNamespacedService({ namespace: name }).catch(() => undefined))?.items ?? [];
    await Promise.all(services.map((svc) => core.deleteNamespacedService({ name: svc.metadata?.name ?? '', namespace: name }).catch(() => undefined)));
    await deleteOwnedNamespace(clients.cleanup, name, runId, { waitGone: false });
    // The scenario's evidence is in: its pods need not drain again. A terminating namespace admits no new pods, so
    // the shortened grace period ends them for good, and the run's end does not wait on a grace period per namespace.
    const pods = (await core.listNamespacedPod({ namespace: name }).catch(() => undefined))?.items ?? [];
    await Promise.all(pods.map((pod) => core.deleteNamespacedPod({ name: pod.metadata?.name ?? '', namespace: name, gracePeriodSeconds: RELEASED_POD_GRACE_SECONDS }).catch(() => undefined)));
    if (clients.signal?.aborted) return;
    await waitFor(async () => ((await core.listNamespacedService({ namespace: name })).items.length === 0 ? true : undefined), { what: `the Services of ${name} to be deleted`, timeoutMs: 60_000, intervalMs: 250 });
  };
  return { name, delete: remove, release, [Symbol.asyncDispose]: remove };
}

/** Deletes `name` only if it carries our labels for `runId`, then (unless told not to) waits for it to be gone. */
export async function deleteOwnedNamespace(clients: KubeClients, name: string, runId: string, { timeoutMs = 120_000, waitGone = true } = {}): Promise<void> {
  const ns = await clients.core.readNamespace({ name }).catch(() => undefined);
  if (!ns) return;
  const labels = ns.metadata?.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || labels[RUN_ID_LABEL] !== runId) {
    throw new Error(`refusing to delete namespace ${name}: it is not labelled as this drainspec run's`);
  }
  await clients.core.deleteNamespace({ name }).catch(() => undefined);
  if (!waitGone) return;
  await waitNamespaceGone(clients, name, { what: `namespace ${name} to be deleted`, timeoutMs, intervalMs: 1_000 });
}

/** Resolves once `name` can no longer be read (deleted); WaitTimeoutError after `options.timeoutMs`. */
function waitNamespaceGone(clients: KubeClients, name: string, options: WaitOptions): Promise<true> {
  return waitFor(async () => ((await clients.core.readNamespace({ name }).catch(() => undefined)) ? undefined : true), options);
}

/** Removes every namespace of a run (Ctrl-C, crashed runs); works after the run's signal has aborted. */
export async function sweepRunNamespaces(runClients: KubeClients, runId: string): Promise<string[]> {
  const clients = runClients.cleanup;
  const list = await clients.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}=${runId}` });
  const names = list.items.map((ns) => ns.metadata?.name ?? '').filter(Boolean);
  await Promise.all(names.map((name) => deleteOwnedNamespace(clients, name, runId, { waitGone: !runClients.signal?.aborted })));
  return names;
}
