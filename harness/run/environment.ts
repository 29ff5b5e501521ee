// What the report says about the cluster the verdicts were measured on.
import { measureClockOffset } from '../k8s/api-server-clock.ts';
import type { KubeClients } from '../k8s/client.ts';
import type { ClusterEnvironment } from '../model/environment.ts';

export type { ClusterEnvironment };

/** Reads kube-proxy's mode and minSyncPeriod out of its config file text (YAML, flat keys). */
export function parseKubeProxyConfig(text: string): { mode: string; minSyncPeriod: string } {
  const mode = /^mode:\s*"?([a-z]*)"?/m.exec(text)?.[1] || 'iptables';
  const iptablesBlock = /^iptables:\s*\n((?:[ \t]+.*\n?)*)/m.exec(text)?.[1] ?? '';
  const minSyncPeriod = /minSyncPeriod:\s*"?([0-9a-z.]+)"?/.exec(iptablesBlock)?.[1] ?? 'unknown';
  return { mode, minSyncPeriod };
}

/**
 * Describes the cluster with a few requests in parallel. A missing or forbidden item is 'unknown'; a server that
 * stops answering (deadline, unreachable, not the API) fails the description, and so the connect check.
 */
export async function describeEnvironment(clients: KubeClients, provider: string, nodeImage: string): Promise<ClusterEnvironment> {
  const optional = <T>(request: Promise<T>): Promise<T | undefined> => request.catch((error: unknown) => {
    if (typeof (error as { code?: unknown }).code === 'number') return undefined;
    throw error;
  });
  const [version, proxyConfig, daemonSets, nodes, clock] = await Promise.all([
    optional(clients.version.getCode()),
    optional(clients.core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' })),
    optional(clients.apps.listNamespacedDaemonSet({ namespace: 'kube-system' })),
    optional(clients.core.listNode()),
    // Once per run: clocks drift by far less than the offset's uncertainty over a run's minutes.
    measureClockOffset(clients).catch(() => undefined),
  ]);
  const { mode, minSyncPeriod } = parseKubeProxyConfig(proxyConfig?.data?.['config.conf'] ?? '');
  const cni = daemonSets?.items.map((d) => d.metadata?.name ?? '').filter((n) => n !== 'kube-proxy').join(', ') || 'unknown';
  return {
    provider,
    context: clients.context,
    kubernetesVersion: version?.gitVersion ?? 'unknown',
    kubeProxyMode: mode,
    minSyncPeriod,
    cni,
    nodeImage: nodeImage || nodes?.items[0]?.status?.nodeInfo?.osImage || 'unknown',
    nodes: nodes?.items.length ?? 0,
    ...(clock ? { clockOffsetMs: clock.offsetMs, clockOffsetUncertaintyMs: clock.uncertaintyMs } : {}),
  };
}
