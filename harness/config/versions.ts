// Pinned versions of everything the air-gapped path builds, in one place. Changing one changes the cache key.
// Kubernetes 1.33 still runs on cgroup v1 hosts (1.35 makes kubelet refuse them by default).
export const versions = {
  kubernetes: 'v1.33.13',
  kind: 'v0.30.0',
  node: '24',
  /** What kubeadm 1.33 expects (cmd/kubeadm/app/constants). */
  etcd: 'v3.5.24',
  etcdImageTag: '3.5.24-0',
  coredns: 'v1.12.0',
  pauseImageTag: '3.10',
  crictl: 'v1.34.0',
  cniPlugins: 'v1.7.1',
  /** The ingress controller in front of the app (harness/ingress/). */
  traefik: 'v3.7.13',
  /** Debian release of every locally built base image. */
  debianSuite: 'bookworm',
} as const;

/** The kind cluster name and so the kubectl context `kind-<name>`. */
export const DEFAULT_CLUSTER_NAME = 'drainspec';

/** Official node image for the pinned Kubernetes, used where it can be pulled (kind v0.30.0 release notes). */
export const OFFICIAL_NODE_IMAGE = 'kindest/node:v1.33.4';
