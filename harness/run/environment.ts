// What the report says about the cluster the verdicts were measured on.
import { VersionApi } from '@kubernetes/client-node';
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

export async function describeEnvironment(clients: KubeClients, provider: string, nodeImage: string): Promise<ClusterEnvironment> {
  const version = await clients.config.makeApiClient(VersionApi).getCode().catch(() => undefined);
  const proxyConfig = await clients.core.readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' }).catch(() => undefined);
  const { mode, minSyncPeriod } = parseKubeProxyConfig(proxyConfig?.data?.['config.conf'] ?? '');
  const daemonSets = await clients.apps.listNamespacedDaemonSet({ namespace: 'kube-system' }).catch(() => undefined);
  const cni = daemonSets?.items.map((d) => d.metadata?.name ?? '').filter((n) => n !== 'kube-proxy').join(', ') || 'unknown';
  const nodes = await clients.core.listNode().catch(() => undefined);
  // Once per run: clocks drift by far less than the offset's uncertainty over a run's minutes.
  const clock = await measureClockOffset(clients).catch(() => undefined);
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
