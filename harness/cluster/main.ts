// `npm run cluster:up` / `npm run cluster:down`: the kind cluster alone, outside a test run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cache/content-cache.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { createProgress } from '../progress/progress.ts';
import { ensureEngine } from '../engine/docker-engine.ts';
import { DEFAULT_KIND_OPTIONS, clusterExists, deleteKindCluster, kindBinary, startKindCluster } from './kind-cluster.ts';

const action = process.argv[2];
const name = process.env.DRAINSPEC_CLUSTER_NAME ?? DEFAULT_CONFIG.cluster.name;
const progress = createProgress();
mkdirSync(join(cacheRoot(), 'logs'), { recursive: true });

try {
  if (action !== 'up' && action !== 'down') throw new Error('usage: cluster main.ts up|down');
  await ensureEngine();
  if (action === 'up') {
    const started = Date.now();
    const cluster = await startKindCluster({
      ...DEFAULT_KIND_OPTIONS,
      name,
      nodeImage: process.env.DRAINSPEC_NODE_IMAGE ?? '',
      keep: true,
      rebuild: process.argv.includes('--rebuild') || process.env.DRAINSPEC_REBUILD === '1',
      progress,
    });
    progress.line(`cluster ${cluster.name} ready in ${Math.round((Date.now() - started) / 1000)}s: kubectl --context ${cluster.context}; NodePorts ${cluster.nodePorts.first}-${cluster.nodePorts.first + cluster.nodePorts.count - 1} on 127.0.0.1`);
  } else if (await clusterExists(await kindBinary(), name)) {
    await deleteKindCluster(name);
    progress.line(`deleted kind cluster ${name}`);
  } else {
    progress.line(`no kind cluster named ${name}`);
  }
} catch (error) {
  progress.line(`cluster ${action ?? ''}: ${(error as Error).message}`);
  process.exitCode = 2;
}
