// Brings the kind cluster up once for the cluster project (reusing one that answers), builds and loads the
// sample app and Traefik (the ingress suite's proxy), and tears the cluster down afterwards unless
// DRAINSPEC_KEEP_CLUSTER=1 — then proves nothing is left.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cacheRoot } from '../../harness/cache/content-cache.ts';
import { buildLoadAgentImage } from '../../harness/agents/agent-image.ts';
import { DEFAULT_KIND_OPTIONS, startKindCluster, type StartedCluster } from '../../harness/cluster/kind-cluster.ts';
import { kindNodesHaveImage } from '../../harness/cluster/node-images.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { ensureEngine } from '../../harness/engine/docker-engine.ts';
import { buildSampleAppImage } from '../../harness/images/sample-app-image.ts';
import { ensureTraefikImage } from '../../harness/ingress/traefik-image.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { sh } from '../../harness/sh.ts';
import { loadImagesIntoKind } from '../conformance/support/kind-images.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeContext: string;
    sampleAppImage: string;
    alternateSampleAppImage: string;
    clusterNodeImage: string;
    clusterName: string;
    /** Traefik built from Go modules (harness/ingress/), loaded into every node. */
    traefikImage: string;
    /** The in-cluster load agent's image, loaded into every node. */
    loadAgentImage: string;
  }
}

let cluster: StartedCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const progress = createProgress();
  await ensureEngine();
  const keep = process.env.DRAINSPEC_KEEP_CLUSTER === '1';
  cluster = await startKindCluster({ ...DEFAULT_KIND_OPTIONS, name: DEFAULT_CONFIG.cluster.name, nodeImage: process.env.DRAINSPEC_NODE_IMAGE ?? '', keep, rebuild: false, progress });
  const image = await buildSampleAppImage();
  // A second name for the same image: the image-change trigger swaps to it.
  const alternate = `${image.tag}-alt`;
  await sh`docker tag ${image.tag} ${alternate}`;
  await cluster.loadImage(image.tag);
  await cluster.loadImage(alternate);
  // Built from Go modules once (minutes), then found by its content key; loaded only where a node lacks it.
  const traefik = await ensureTraefikImage(join(cacheRoot(), 'logs', 'traefik.log'));
  await loadImagesIntoKind(cluster.name, [traefik]);
  const agentImage = await buildLoadAgentImage();
  // Skipped when every node has it already (an unchanged agent on a kept cluster).
  if (!(await kindNodesHaveImage(cluster.name, agentImage.tag))) await cluster.loadImage(agentImage.tag);
  project.provide('kubeContext', cluster.context);
  project.provide('sampleAppImage', image.tag);
  project.provide('alternateSampleAppImage', alternate);
  project.provide('clusterNodeImage', cluster.nodeImage);
  project.provide('clusterName', cluster.name);
  project.provide('traefikImage', traefik);
  project.provide('loadAgentImage', agentImage.tag);
}

export async function teardown(): Promise<void> {
  if (!cluster || !cluster.created || process.env.DRAINSPEC_KEEP_CLUSTER === '1') return;
  await cluster.stop();
  const left = (await sh`docker ps -a --filter ${`label=io.x-k8s.kind.cluster=${cluster.name}`} --format {{.Names}}`).stdout.trim();
  if (left) throw new Error(`cluster:down left containers behind: ${left.replace(/\n/g, ', ')}`);
}
