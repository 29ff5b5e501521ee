// Pinned versions of everything the air-gapped path builds, in one place. Changing one changes the cache key.
// Kubernetes 1.33 still runs on cgroup v1 hosts (1.35 makes kubelet refuse them by default).
export const versions = {
  kubernetes: 'v1.33.13',
  kind: 'v0.30.0',
  node: '24',
} as const;

/** The kind cluster name and so the kubectl context `kind-<name>`. */
export const DEFAULT_CLUSTER_NAME = 'drainspec';
