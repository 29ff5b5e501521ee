// Deploys one Traefik into a namespace (server-side apply), waits until it is Ready and, given a route, until a
// request through its NodePort is answered by an upstream — the access log, not the status code, says so.
import { serverSideApply } from '../k8s/apply.ts';
import type { KubeClients } from '../k8s/client.ts';
import { listAppPods, waitAvailable, type AppRef } from '../k8s/rollout.ts';
import { sleep } from '../k8s/wait.ts';
import { probeStatus } from '../load/probe.ts';
import { followProxyLog } from './follow-proxy-log.ts';
import { ingressFor, type IngressOptions } from './ingress-route.ts';
import { applyOrder, TRAEFIK_CONTAINER, TRAEFIK_NAME, traefikObjects, type TraefikOptions } from './traefik-objects.ts';

export interface TraefikInstance {
  namespace: string;
  ingressClass: string;
  nodePort: number;
  /** The Traefik pod (one replica): whose log is the access log. */
  pod: string;
  /** Where the load enters, e.g. `http://127.0.0.1:30086`. */
  baseUrl: string;
  /** The Traefik Deployment, as the rollout helpers name an app. */
  app: AppRef;
}

export interface DeployTraefikOptions extends TraefikOptions {
  /** An Ingress to create and wait for: a request to `/` must reach its Service before deployTraefik returns. */
  route?: Omit<IngressOptions, 'namespace' | 'ingressClass'>;
  /** The address the NodePort is reached on (kind publishes NodePorts on 127.0.0.1). */
  address?: string;
  timeoutMs?: number;
  clockOffsetMs?: number;
  signal?: AbortSignal;
}

export async function deployTraefik(clients: KubeClients, options: DeployTraefikOptions): Promise<TraefikInstance> {
  const { namespace, signal } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (const object of applyOrder(traefikObjects(options))) await serverSideApply(clients, object);
  if (options.route) await serverSideApply(clients, ingressFor({ ...options.route, namespace, ingressClass: options.ingressClass }));

  const app: AppRef = { namespace, name: TRAEFIK_NAME, container: TRAEFIK_CONTAINER };
  await waitAvailable(clients, app, 1, timeoutMs, signal);
  const pod = (await listAppPods(clients, app)).find((p) => !p.metadata?.deletionTimestamp)?.metadata?.name;
  if (!pod) throw new Error(`Traefik in ${namespace} was available but has no pod`);
  const instance: TraefikInstance = { namespace, ingressClass: options.ingressClass, nodePort: options.nodePort, pod, baseUrl: `http://${options.address ?? '127.0.0.1'}:${options.nodePort}`, app };
  if (options.route) await waitRouted(clients, instance, Math.max(1_000, deadline - Date.now()), { host: options.route.host, clockOffsetMs: options.clockOffsetMs, signal });
  return instance;
}

/**
 * Sends requests to `/` until the access log shows one an upstream answered: the Ingress is loaded and its Service
 * has an endpoint Traefik routes to. (A status alone cannot tell Traefik's own 404/503 from the app's.)
 */
export async function waitRouted(clients: KubeClients, instance: TraefikInstance, timeoutMs: number, options: { host?: string; clockOffsetMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const follower = await followProxyLog(clients, instance.namespace, instance.pod, { clockOffsetMs: options.clockOffsetMs, signal: options.signal });
  const probing = new AbortController();
  const probes = (async () => {
    while (!probing.signal.aborted) {
      await probeStatus(`${instance.baseUrl}/`, options.host);
      await sleep(200, probing.signal).catch(() => undefined);
    }
  })();
  try {
    await follower.until((entries) => entries.some((e) => !e.proxyGenerated), `Traefik in ${instance.namespace} to route ${instance.baseUrl}/ to an upstream`, timeoutMs);
  } finally {
    probing.abort();
    await probes;
    follower.stop();
  }
}
