// A namespace per scenario, labelled with the run id; only namespaces carrying our labels are ever deleted.
import type { KubeClients } from './client.ts';
import { waitFor } from './wait.ts';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'drainspec';
export const RUN_ID_LABEL = 'drainspec.io/run-id';

export interface RunNamespace extends AsyncDisposable {
  name: string;
  delete(): Promise<void>;
}

export function namespaceName(runId: string, index: number): string {
  return `drainspec-${runId}-${index}`.toLowerCase().slice(0, 63).replace(/-+$/, '');
}

export async function createRunNamespace(clients: KubeClients, runId: string, index: number): Promise<RunNamespace> {
  const name = namespaceName(runId, index);
  await clients.core.createNamespace({ body: { metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId } } } });
  // Deleted through the cleanup clients: after Ctrl-C the run's own clients refuse every request. A stopping run
  // does not wait for the namespace to be gone (its pods' grace periods): the deletion is accepted, that is enough.
  const remove = () => deleteOwnedNamespace(clients.cleanup, name, runId, { waitGone: !clients.signal?.aborted });
  return { name, delete: remove, [Symbol.asyncDispose]: remove };
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
  await waitFor(async () => ((await clients.core.readNamespace({ name }).catch(() => undefined)) ? undefined : true), { what: `namespace ${name} to be deleted`, timeoutMs, intervalMs: 1_000 });
}

/** Removes every namespace of a run (Ctrl-C, crashed runs); works after the run's signal has aborted. */
export async function sweepRunNamespaces(runClients: KubeClients, runId: string): Promise<string[]> {
  const clients = runClients.cleanup;
  const list = await clients.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}=${runId}` });
  const names = list.items.map((ns) => ns.metadata?.name ?? '').filter(Boolean);
  await Promise.all(names.map((name) => deleteOwnedNamespace(clients, name, runId, { waitGone: !runClients.signal?.aborted })));
  return names;
}
