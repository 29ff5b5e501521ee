// Which of the NodePorts the run can publish are free: a port any Service in the cluster already holds (another
// team's, or a namespace still being deleted) is skipped rather than failing a scenario with "already allocated".
import type { V1Service } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';

export interface NodePortChoice {
  free: number[];
  /** Port → `namespace/service` holding it, for the ports left out. */
  taken: Map<number, string>;
  /** False when the Services could not be listed (RBAC): every port is then assumed free. */
  checked: boolean;
}

/** Pure: `published` minus the ports the Services hold, in order. */
export function chooseFreePorts(published: readonly number[], services: readonly V1Service[]): NodePortChoice {
  const taken = new Map<number, string>();
  for (const service of services) {
    for (const port of service.spec?.ports ?? []) {
      if (port.nodePort && published.includes(port.nodePort)) taken.set(port.nodePort, `${service.metadata?.namespace}/${service.metadata?.name}`);
    }
  }
  return { free: published.filter((p) => !taken.has(p)), taken, checked: true };
}

export async function freeNodePorts(clients: KubeClients, published: readonly number[]): Promise<NodePortChoice> {
  try {
    const services = await clients.core.listServiceForAllNamespaces({});
    return chooseFreePorts(published, services.items);
  } catch (error) {
    // Forbidden to list Services cluster-wide (a namespaced role on a staging cluster): Service creation will say.
    if ((error as { code?: unknown }).code === 403) return { free: [...published], taken: new Map(), checked: false };
    throw error;
  }
}

/**
 * The NodePort for scenario `index`: its turn in `ports` (rotating, so a port just freed rests a while), or the next
 * one no Service holds — chosen right before the scenario deploys, so runs sharing a cluster take turns.
 * `claimed`: ports this run's running scenarios hold or are about to (their Service may not exist yet); the pick is
 * added to it in the same turn as the check, so concurrent scenarios of one run never pick the same port.
 */
export async function pickNodePort(clients: KubeClients, ports: readonly number[], index: number, avoid: ReadonlySet<number> = new Set(), claimed?: Set<number>): Promise<number> {
  const rotated = ports.map((_, i) => ports[(index + i) % ports.length] as number);
  const { free, taken } = await freeNodePorts(clients, rotated);
  for (const port of avoid) taken.set(port, 'allocated, though no Service holds it');
  for (const port of claimed ?? []) taken.set(port, 'used by another scenario of this run');
  const usable = free.filter((p) => !avoid.has(p) && !claimed?.has(p));
  const port = usable[0];
  if (port === undefined) throw new Error(`no free NodePort: ${[...taken].map(([p, owner]) => `${p} (${owner})`).join(', ')} are all taken: another drainspec run on this cluster is using them; wait for it`);
  claimed?.add(port);
  return port;
}

/** The API's answer when a Service asks for a NodePort another Service took first. */
export function isNodePortTaken(error: unknown): boolean {
  const e = error as { code?: unknown; body?: unknown };
  return e.code === 422 && /provided port is already allocated/.test(typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? ''));
}

/**
 * Runs `deploy` on a free NodePort; when the API refuses the port as already allocated, that port joins `avoid` and
 * another is picked. Either another run took it between the pick and the Service's creation, or the API server still
 * counts it allocated although no Service holds it: a deleted Service's port can stay allocated until the
 * apiserver's repair loop frees it, minutes later (kubernetes/kubernetes#87603, #104769). Callers keep `avoid` for
 * the whole run, so later scenarios do not trip on the same port.
 */
export async function onFreeNodePort<T>(clients: KubeClients, ports: readonly number[], index: number, deploy: (nodePort: number) => Promise<T>, avoid: Set<number> = new Set(), claimed: Set<number> = new Set()): Promise<T> {
  for (;;) {
    const nodePort = await pickNodePort(clients, ports, index, avoid, claimed);
    try {
      return await deploy(nodePort);
    } catch (error) {
      if (!isNodePortTaken(error)) throw error;
      avoid.add(nodePort);
    } finally {
      // `deploy` ends after the scenario's namespace (and so its Service) is gone: the port is free again.
      claimed.delete(nodePort);
    }
  }
}
