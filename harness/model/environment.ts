// The cluster a run measured on, as the report shows it (no credentials: context name only).
export interface ClusterEnvironment {
  provider: string;
  context: string;
  kubernetesVersion: string;
  kubeProxyMode: string;
  minSyncPeriod: string;
  cni: string;
  nodeImage: string;
  nodes: number;
  /** API-server clock − harness clock (Kubernetes timestamps are moved by it), and its half-width; absent if unmeasured. */
  clockOffsetMs?: number;
  clockOffsetUncertaintyMs?: number;
}
