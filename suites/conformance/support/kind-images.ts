// Loads locally built images into the suite's kind cluster (docker save + kind load image-archive, the robust
// path), skipping any image every node already has, so a rerun loads nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot } from '../../../harness/cache/content-cache.ts';
import { kindBinary } from '../../../harness/cluster/kind-cluster.ts';
import { runLogged, sh } from '../../../harness/sh.ts';

async function onEveryNode(nodes: readonly string[], ref: string): Promise<boolean> {
  const found = await Promise.all(nodes.map(async (node) => (await sh`docker exec ${node} crictl inspecti -q ${ref}`.nothrow()).exitCode === 0));
  return found.every(Boolean);
}

/** Returns the refs it had to load. */
export async function loadImagesIntoKind(clusterName: string, refs: readonly string[]): Promise<string[]> {
  const kind = await kindBinary();
  const logPath = join(cacheRoot(), 'logs', 'kind.log');
  const nodes = (await sh`${kind} get nodes --name ${clusterName}`).stdout.split('\n').map((n) => n.trim()).filter(Boolean);
  if (nodes.length === 0) throw new Error(`kind cluster ${clusterName} has no nodes: run npm run cluster:up`);
  const loaded: string[] = [];
  for (const ref of refs) {
    if (await onEveryNode(nodes, ref)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-fixture-load-'));
    try {
      await runLogged('docker', ['save', '-o', join(dir, 'image.tar'), ref], logPath);
      await runLogged(kind, ['load', 'image-archive', join(dir, 'image.tar'), '--name', clusterName], logPath);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    loaded.push(ref);
  }
  return loaded;
}
