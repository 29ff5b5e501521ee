// `drainspec cluster up|down`.
import type { DrainspecConfig } from '../config/defaults.ts';
import { DEFAULT_KIND_OPTIONS, clusterExists, deleteKindCluster, kindBinary, startKindCluster } from '../cluster/kind-cluster.ts';
import { ensureEngine } from '../engine/docker-engine.ts';
import type { ProgressSink } from '../progress/progress.ts';

export async function runClusterCommand(action: 'up' | 'down', config: DrainspecConfig, progress: ProgressSink): Promise<void> {
  if (config.provider !== 'kind') throw new Error('cluster up|down manages the local kind cluster only: drop --provider existing');
  await ensureEngine();
  const { name } = config.cluster;
  if (action === 'up') {
    const cluster = await startKindCluster({ ...DEFAULT_KIND_OPTIONS, name, nodeImage: config.cluster.nodeImage, keep: true, rebuild: config.cluster.rebuild, progress });
    progress.line(`cluster ${cluster.name} ready: kubectl --context ${cluster.context}`);
    return;
  }
  if (await clusterExists(await kindBinary(), name)) {
    await deleteKindCluster(name);
    progress.line(`deleted kind cluster ${name}`);
  } else {
    progress.line(`no kind cluster named ${name}`);
  }
}
