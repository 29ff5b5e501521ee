// kube-proxy's own account of its rule syncs on the kind node that publishes the NodePorts: how many, how long (its
// Prometheus histogram kubeproxy_sync_proxy_rules_duration_seconds, read inside the node from its metrics port on
// the node's loopback). bench:matrix reads it before and after each run: a sync that takes seconds is the cluster
// falling behind, which is what bounds how many scenarios a machine sustains at once.
import { sh } from '../sh.ts';

export interface SyncHistogram {
  count: number;
  sumSeconds: number;
  /** Syncs that took longer than 1 s (the histogram's 1.024 s bucket). */
  overOneSecond: number;
}

const METRIC = 'kubeproxy_sync_proxy_rules_duration_seconds';

/** Parses the IPv4 series of the histogram out of a Prometheus text page; undefined when absent. */
export function parseSyncHistogram(page: string): SyncHistogram | undefined {
  const value = (suffix: string, extra = '') => {
    const line = page.split('\n').find((l) => l.startsWith(`${METRIC}${suffix}{`) && l.includes('ip_family="IPv4"') && l.includes(extra));
    return line === undefined ? undefined : Number(line.trim().split(/\s+/).at(-1));
  };
  const count = value('_count');
  const sum = value('_sum');
  const upToOne = value('_bucket', 'le="1.024"');
  if (count === undefined || sum === undefined || upToOne === undefined) return undefined;
  return { count, sumSeconds: sum, overOneSecond: count - upToOne };
}

/** The histogram now, or undefined when the node's kube-proxy cannot be read. */
export async function readKubeProxySyncs(nodeContainer: string): Promise<SyncHistogram | undefined> {
  const script = 'exec 3<>/dev/tcp/127.0.0.1/10249 && printf "GET /metrics HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" >&3 && cat <&3';
  const out = await sh`docker exec ${nodeContainer} bash -c ${script}`.nothrow().quiet().timeout('10s');
  return out.exitCode === 0 ? parseSyncHistogram(out.stdout) : undefined;
}

/** `kube-proxy: 212 syncs, mean 0.31 s, 14 over 1 s` for the syncs between two readings. */
export function describeSyncs(before: SyncHistogram | undefined, after: SyncHistogram | undefined): string {
  if (!before || !after) return 'kube-proxy syncs: unknown (its metrics could not be read)';
  const count = after.count - before.count;
  const mean = count > 0 ? (after.sumSeconds - before.sumSeconds) / count : 0;
  return `kube-proxy syncs: ${count}, mean ${mean.toFixed(2)} s, ${after.overOneSecond - before.overOneSecond} over 1 s`;
}
