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
}
