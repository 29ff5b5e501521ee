// The path the load takes to the app, and the evidence that path gives: through the Service (NodePort → kube-proxy
// → pod; the node's conntrack table names the pod of each connection) or through the ingress (a Traefik in the
// scenario's namespace → pod; its access log names the upstream pod of each request and the errors it made itself).
import { deployTraefik, followProxyLog, ingressFor, TRAEFIK_NAME, TRAEFIK_SERVICE_PORT, type ProxyAccess, type ProxyLogFollower } from '../ingress/index.ts';
import { serverSideApply } from '../k8s/apply.ts';
import { probeStatus } from '../load/probe.ts';
import { waitFor } from '../k8s/wait.ts';
import type { KubeClients } from '../k8s/client.ts';
import type { ConnectionEvidence, ProxyError, ProxyEvidence, Via } from '../model/run-data.ts';
import { startConnectionSampler } from '../network/index.ts';

export interface LoadPath {
  via: Via;
  /** Where the load is sent: http://127.0.0.1:<NodePort> (the app's Service, or the ingress controller's). */
  baseUrl: string;
  /** The same entry by cluster DNS name, for load agents inside the cluster. */
  inClusterUrl: string;
  /** The Host header the load must send (an ingress rule with a host); absent: the target's. */
  hostHeader?: string;
  /** The cluster's ingress controller Service the agents may target besides their own namespace's (target-host.ts). */
  ingressService?: string;
  /**
   * No host-side readiness wait: the path already proved the app answers through it, or the agents prove it
   * themselves (an in-cluster URL is never probed from the host).
   */
  answered?: boolean;
  /** Stops collecting and returns the path's evidence. */
  stop(): Promise<PathEvidence>;
}

export interface PathEvidence {
  connections: ConnectionEvidence;
  proxy?: ProxyEvidence;
}

export interface ServicePathOptions {
  nodePort: number;
  /** The app's Service, its namespace and port (the in-cluster entry). */
  service: { namespace: string; name: string; port: number | string };
  /** The kind node whose conntrack table attributes connections; absent where drainspec cannot look. */
  nodeContainer?: string;
  podByIp: () => ReadonlyMap<string, string>;
  maxDurationMs: number;
}

/** Through the Service: conntrack sampling starts before the load, so every connection is seen from its first packets. */
export async function openServicePath(options: ServicePathOptions): Promise<LoadPath> {
  const sampler = options.nodeContainer
    ? await startConnectionSampler({ nodeContainer: options.nodeContainer, nodePort: options.nodePort, podByIp: options.podByIp, maxDurationMs: options.maxDurationMs })
    : { stop: async (): Promise<ConnectionEvidence> => ({ source: 'none', reason: 'no node access on this cluster (connections cannot be attributed to pods)' }) };
  const { namespace, name, port } = options.service;
  return {
    via: 'service', baseUrl: `http://127.0.0.1:${options.nodePort}`, inClusterUrl: `http://${name}.${namespace}.svc.cluster.local:${port}`,
    stop: async () => ({ connections: await sampler.stop() }),
  };
}

export interface IngressPathOptions {
  clients: KubeClients;
  namespace: string;
  /** The Traefik image loaded into the nodes. */
  image: string;
  nodePort: number;
  /** The app's Service and port the Ingress sends every path to. */
  serviceName: string;
  servicePort: number | string;
  clockOffsetMs: number;
  podByIp: () => ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

/** The ingress class drainspec's own Traefik serves (one Traefik per scenario namespace; it sees only that namespace). */
export const DRAINSPEC_INGRESS_CLASS = 'drainspec-traefik';
/**
 * Traefik's documented default: provider configuration is applied at most every 2 s, so an endpoint change can wait
 * that long before the proxy routes differently. drainspec tests the proxy as users run it.
 */
export const TRAEFIK_PROVIDERS_THROTTLE_SECONDS = 2;
const PROXY_BUCKET_MS = 100;
/**
 * Statuses a proxy makes itself when forwarding fails; 499 (the client gave up first) is kept when the proxy had
 * picked an upstream: the client's timeout is then the proxy waiting on that pod.
 */
const PROXY_FAILURE_STATUSES = new Set([500, 502, 503, 504]);
const isProxyFailure = (access: ProxyAccess): boolean => PROXY_FAILURE_STATUSES.has(access.status) || (access.status === 499 && access.upstream !== undefined);

/** Through the ingress: deploys Traefik on the scenario's NodePort with an Ingress to the app, and follows its access log. */
export async function openIngressPath(options: IngressPathOptions): Promise<LoadPath> {
  const instance = await deployTraefik(options.clients, {
    namespace: options.namespace, image: options.image, nodePort: options.nodePort, ingressClass: DRAINSPEC_INGRESS_CLASS,
    providersThrottleSeconds: TRAEFIK_PROVIDERS_THROTTLE_SECONDS, route: { serviceName: options.serviceName, servicePort: options.servicePort },
    clockOffsetMs: options.clockOffsetMs, signal: options.signal,
  });
  const evidence = createProxyEvidence(Date.now(), options.podByIp);
  const follower: ProxyLogFollower = await followProxyLog(options.clients, instance.namespace, instance.pod, {
    clockOffsetMs: options.clockOffsetMs, signal: options.signal, onAccess: (access) => evidence.add(access),
  });
  return {
    via: 'ingress',
    baseUrl: instance.baseUrl,
    inClusterUrl: `http://${TRAEFIK_NAME}.${instance.namespace}.svc.cluster.local:${TRAEFIK_SERVICE_PORT}`,
    stop: async () => {
      const log = follower.stop();
      return {
        connections: { source: 'none', reason: 'the load went through the ingress: its connections end at the proxy, whose access log names the pod of each request' },
        proxy: evidence.result(`traefik ${log.version ?? '(version not logged)'}`, log.lines, log.endedEarly),
      };
    },
  };
}

export interface ClusterIngressPathOptions {
  clients: KubeClients;
  namespace: string;
  serviceName: string;
  servicePort: number | string;
  /** The IngressClass of the cluster's own controller. */
  className: string;
  host: string;
  /** http://127.0.0.1:<port> (a tunnel to the controller), or its Service's cluster DNS URL for agents. */
  url: string;
  /** The load runs inside the cluster: nothing can be probed from here. */
  fromCluster: boolean;
  signal?: AbortSignal;
}

const CLUSTER_INGRESS_ROUTED_MS = 120_000;

/**
 * Through the cluster's own ingress controller (staging): an Ingress of its class in the scenario's namespace, the
 * load sent to where the controller is reached with the rule's Host. drainspec does not read that controller's log:
 * its own errors cannot be told from the app's, and the report says so.
 */
export async function openClusterIngressPath(options: ClusterIngressPathOptions): Promise<LoadPath> {
  await serverSideApply(options.clients, ingressFor({
    namespace: options.namespace, serviceName: options.serviceName, servicePort: options.servicePort, ingressClass: options.className,
    classBy: 'spec', ...(options.host ? { host: options.host } : {}),
  }));
  const host = options.host || undefined;
  if (!options.fromCluster) {
    // The controller has picked the Ingress up when a request with its Host reaches the app (any 2xx–3xx answer).
    await waitFor(async () => {
      const status = await probeStatus(options.url, host);
      return status !== undefined && status >= 200 && status < 400 ? true : undefined;
    }, {
      what: `the ingress controller at ${options.url} to route Host ${host ?? '(any)'} to the app (class ${options.className})`, timeoutMs: CLUSTER_INGRESS_ROUTED_MS, intervalMs: 500, signal: options.signal,
    });
  }
  const serviceHost = new URL(options.url).hostname;
  return {
    // From the cluster the URL is a cluster DNS name: never the host's (baseUrl) to send to.
    via: 'ingress', baseUrl: options.fromCluster ? '' : options.url, inClusterUrl: options.url, answered: true,
    ...(host ? { hostHeader: host } : {}), ...(options.fromCluster ? { ingressService: serviceHost } : {}),
    stop: async () => ({
      connections: { source: 'none', reason: 'the load went through the cluster\'s own ingress controller: its connections end there' },
      proxy: { source: 'none', reason: `the cluster's own ingress controller (class ${options.className}): drainspec does not read its log, so its own 502/503/504 cannot be told from the app's (they count as bad-status)` },
    }),
  };
}

/**
 * Folds access log entries as they arrive: requests per upstream pod per 100 ms (attributed by the pod that held the
 * upstream IP at the time; the app's pod header when the IP is unknown) and every failure the proxy made itself.
 */
export function createProxyEvidence(originMs: number, podByIp: () => ReadonlyMap<string, string>) {
  const routed: Record<string, { counts: number[]; lastAtMs: number }> = {};
  const errors: ProxyError[] = [];
  let entries = 0;
  return {
    add(access: ProxyAccess): void {
      entries++;
      const ip = access.upstream === undefined ? undefined : hostOf(access.upstream);
      const pod = (ip === undefined ? undefined : podByIp().get(ip)) ?? access.podHeader;
      if (access.proxyGenerated) {
        if (isProxyFailure(access)) {
          errors.push({ atMs: access.atMs, durationMs: access.durationMs, status: access.status, ...(access.upstream ? { upstream: access.upstream } : {}), ...(pod ? { pod } : {}) });
        }
        return;
      }
      if (pod === undefined) return;
      const entry = (routed[pod] ??= { counts: [], lastAtMs: 0 });
      const bucket = Math.max(0, Math.floor((access.atMs - originMs) / PROXY_BUCKET_MS));
      while (entry.counts.length <= bucket) entry.counts.push(0);
      entry.counts[bucket] = (entry.counts[bucket] ?? 0) + 1;
      entry.lastAtMs = Math.max(entry.lastAtMs, access.atMs);
    },
    result(proxy: string, lines: number, endedEarly?: string): ProxyEvidence {
      if (entries === 0) return { source: 'none', reason: `the proxy's access log showed no request${endedEarly ? ` (${endedEarly})` : ''}` };
      return { source: 'access-log', proxy, lines, originMs, bucketMs: PROXY_BUCKET_MS, routed, errors };
    },
  };
}

/** `10.244.1.5:8080` → `10.244.1.5` (IPv6 `[fd00::5]:8080` → `fd00::5`). */
function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (v6) return v6[1] as string;
  const colon = address.lastIndexOf(':');
  return colon > 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
}
