// Every user-facing default in one place. Flags override env, env overrides drainspec.config.ts, which overrides these.
import { availableParallelism } from 'node:os';
import type { ClientModel, Via } from '../model/run-data.ts';
import { DEFAULT_CLUSTER_NAME } from './versions.ts';

export type ProviderName = 'kind' | 'existing';

export interface DrainspecConfig {
  provider: ProviderName;
  cluster: {
    /** kind cluster name; the kubectl context is `kind-<name>`. */
    name: string;
    /** Node image; empty = pinned official kindest/node if available, else the air-gapped build. */
    nodeImage: string;
    /** Keep the cluster after the run (each scenario's namespace is still deleted, freeing its NodePort). */
    keep: boolean;
    /** Force the air-gapped artifacts and node image to be rebuilt. */
    rebuild: boolean;
  };
  existing: {
    /** kubeconfig path; empty = KUBECONFIG / ~/.kube/config. */
    kubeconfig: string;
    /** The ONLY context drainspec will use on an existing cluster; required there. */
    context: string;
  };
  app: {
    /** Your image instead of the sample app (must be pullable by the cluster or loaded into kind). */
    image: string;
    /** Your manifests (a YAML file or directory: one Deployment and its Service) instead of an image. */
    manifests: string;
    /** The sample app image as pushed to a registry an existing cluster can pull (kind builds and loads its own). */
    sampleImage: string;
    port: number;
    requestPath: string;
    readinessPath: string;
    /** HTTP method of the plain requests: GET, or POST (a small JSON body; never retried). */
    method: 'GET' | 'POST';
    /** Statuses that count as ok: comma-separated codes and ranges, e.g. `200-399` or `200,204,301-308`. */
    okStatus: string;
    /** Your app's long-lived endpoints; each one given adds a rollout-restart scenario with that load. */
    slowPath: string;
    ssePath: string;
    wsPath: string;
  };
  /** Scenario id patterns (`graceful/*\/keepalive`); empty = the default matrix. */
  scenarios: string[];
  /**
   * The paths the load takes: `service` (NodePort → kube-proxy → pod) and/or `ingress` (an ingress controller → pod).
   * Empty = the catalogue's own: the sample matrix has both, your app's goes through the Service.
   */
  via: Via[];
  ingress: {
    /**
     * The IngressClass of the cluster's own controller to test through (staging). Empty = drainspec deploys its own
     * Traefik in each scenario's namespace (kind).
     */
    className: string;
    /** Host name for the Ingress rule (the cluster's controller routes by it); empty = any host. */
    host: string;
    /**
     * With `className`: where the load reaches that controller — from the host `http://127.0.0.1:<port>` (a tunnel or
     * port-forward to it), with `load.from: 'cluster'` its Service's cluster DNS name `http://<svc>.<ns>.svc.cluster.local:<port>`.
     */
    url: string;
  };
  rollout: {
    replicas: number;
    terminationGracePeriodSeconds: number;
    /** In-app drain delay of the `graceful` variant: covers endpoint propagation. */
    drainDelayMs: number;
    /** preStop sleep of the `graceful-prestop` variant. */
    preStopSleepSeconds: number;
  };
  load: {
    /** Total concurrent connections (split across agents with `from: 'cluster'`). */
    connections: number;
    /** Total request rate (split across agents with `from: 'cluster'`). */
    requestsPerSecond: number;
    requestTimeoutMs: number;
    /**
     * Where the load runs: `host` (this process, to 127.0.0.1) or `cluster` (in-cluster agents: a Job in each
     * scenario's namespace that targets the Service or the ingress by its cluster DNS name).
     */
    from: 'host' | 'cluster';
    /** In-cluster agents (pods spread across nodes), with `from: 'cluster'`. */
    agents: number;
    /** The agent image as pushed to a registry an existing cluster pulls from (kind builds and loads its own). */
    agentImage: string;
  };
  /** What a passing drain must stay within. */
  thresholds: {
    /** Failed requests tolerated per scenario (0: a single dropped request fails the scenario). */
    maxFailedRequests: number;
    /** Longest tolerated SIGTERM → exit per pod; 0 = the grace period. */
    maxDrainMs: number;
  };
  /** Which client model decides the verdict and exit code; both are always judged and reported. */
  clients: ClientModel;
  /** Run the matrix this many times and compare verdicts. */
  repeat: number;
  /** Scenarios run at once, each in its own namespace on its own NodePort (at most one per published NodePort); node drains run alone. */
  parallel: number;
  reportDir: string;
}

/** At most this many scenarios at once (also the NodePorts a kind cluster publishes). */
export const MAX_PARALLEL = 10;

export const DEFAULT_CONFIG: DrainspecConfig = {
  provider: 'kind',
  cluster: { name: DEFAULT_CLUSTER_NAME, nodeImage: '', keep: false, rebuild: false },
  existing: { kubeconfig: '', context: '' },
  app: { image: '', manifests: '', sampleImage: '', port: 8080, requestPath: '/', readinessPath: '/readyz', method: 'GET', okStatus: '200-399', slowPath: '', ssePath: '', wsPath: '' },
  scenarios: [],
  via: [],
  ingress: { className: '', host: '', url: '' },
  rollout: { replicas: 3, terminationGracePeriodSeconds: 15, drainDelayMs: 5_000, preStopSleepSeconds: 5 },
  load: { connections: 8, requestsPerSecond: 200, requestTimeoutMs: 5_000, from: 'host', agents: 2, agentImage: '' },
  thresholds: { maxFailedRequests: 0, maxDrainMs: 0 },
  clients: 'strict',
  repeat: 1,
  // One scenario per core, measured with bench:matrix on a 2-core machine: 2 at once, 0 verdict flips and kube-proxy's
  // syncs at a mean 0.17 s (0.08 s alone); 3, 4 and 6 at once made kube-proxy route new connections to terminating
  // pods 2.4–4.1 s after their endpoints left (its lag here is 2 s), which failed a passing scenario before that was
  // guarded (a starved cluster now voids a would-be fail: verdict error).
  parallel: Math.min(availableParallelism(), MAX_PARALLEL),
  reportDir: 'reports',
};
