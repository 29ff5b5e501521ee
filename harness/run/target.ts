// Where the scenarios run: a kind cluster drainspec creates (or reuses), or an existing cluster reached through
// exactly one named kubeconfig context. Also decides which image is tested and how it reaches the nodes.
import { controlPlaneContainer, DEFAULT_KIND_OPTIONS, startKindCluster, type StartedCluster } from '../cluster/kind-cluster.ts';
import { nodePortsOf } from '../cluster/kind-config.ts';
import type { DrainspecConfig } from '../config/defaults.ts';
import { ensureEngine } from '../engine/docker-engine.ts';
import { buildSampleAppImage } from '../images/sample-app-image.ts';
import { apiErrorReason, connect, type KubeClients } from '../k8s/client.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { DEFAULT_MATRIX, selectScenarios, yourAppMatrix, type Scenario } from '../scenarios/catalogue.ts';
import { prepareUserApp, readManifests } from '../k8s/user-manifests.ts';
import { sh } from '../sh.ts';
import { describeEnvironment, type ClusterEnvironment } from './environment.ts';

export interface Target extends AsyncDisposable {
  clients: KubeClients;
  environment: ClusterEnvironment;
  image: string;
  /** A second reference to the same app, for the image-change trigger ('' when there is none). */
  alternateImage: string;
  imagePullPolicy: 'Never' | 'IfNotPresent' | 'Always';
  nodePorts: number[];
  ownsCluster: boolean;
  /** The kind node container whose conntrack table attributes connections to pods (kind clusters only). */
  nodeContainer?: string;
  close(): Promise<void>;
}

/** The scenarios for this config: the sample matrix, or your app's when --image is set. */
export function plannedScenarios(config: DrainspecConfig, hasAlternateImage: boolean): { scenarios: Scenario[]; skipped: string[] } {
  const catalogue = config.app.image || config.app.manifests ? yourAppMatrix(config.app) : DEFAULT_MATRIX;
  const skipped: string[] = [];
  const runnable = catalogue.filter((s) => {
    const reason = s.trigger === 'image-change' && !hasAlternateImage ? 'needs a second tag of the image'
      : s.trigger === 'node-drain' && config.provider === 'existing' ? 'cordons a shared node' : '';
    if (reason) skipped.push(`${s.id} (${reason})`);
    return !reason;
  });
  return { scenarios: selectScenarios(runnable, config.scenarios), skipped };
}

async function checkApi(clients: KubeClients): Promise<void> {
  try {
    await clients.core.listNamespace({ limit: 1 });
  } catch (error) {
    throw new Error(`cannot use context ${clients.context}: ${apiErrorReason(error)}`, { cause: error });
  }
}

async function kindTarget(config: DrainspecConfig, progress: ProgressSink): Promise<Target> {
  await ensureEngine();
  if (config.app.image && (await sh`docker image inspect ${config.app.image}`.nothrow()).exitCode !== 0) {
    throw new Error(`image ${config.app.image} is not in the local Docker engine: build or pull it first (kind nodes are loaded from it)`);
  }
  const cluster: StartedCluster = await startKindCluster({ ...DEFAULT_KIND_OPTIONS, name: config.cluster.name, nodeImage: config.cluster.nodeImage, keep: config.cluster.keep, rebuild: config.cluster.rebuild, progress });
  try {
    let image = config.app.image;
    let alternateImage = '';
    if (config.app.manifests) {
      // The manifests name their images: load those the local engine has; the nodes pull the rest.
      const { images } = prepareUserApp(readManifests(config.app.manifests), 'default', 30080, 1);
      for (const ref of images) {
        if ((await sh`docker image inspect ${ref}`.nothrow()).exitCode === 0) await cluster.loadImage(ref);
      }
      image = images.join(', ');
    } else if (!image) {
      const end = progress.stage('build the sample app image');
      image = (await buildSampleAppImage()).tag;
      end('ok');
      // Same content, second name: the image-change trigger swaps between them.
      alternateImage = `${image}-alt`;
      await sh`docker tag ${image} ${alternateImage}`;
    }
    if (!config.app.manifests) {
      const end = progress.stage(`load ${[image, alternateImage].filter(Boolean).join(' and ')} into the nodes`);
      await cluster.loadImage(image);
      if (alternateImage) await cluster.loadImage(alternateImage);
      end('ok');
    }
    const clients = connect(cluster.context);
    await checkApi(clients);
    const environment = await describeEnvironment(clients, 'kind', cluster.nodeImage);
    const close = () => cluster.stop();
    return { clients, environment, image, alternateImage, imagePullPolicy: 'Never', nodePorts: nodePortsOf(cluster.nodePorts), ownsCluster: true, nodeContainer: controlPlaneContainer(cluster.name), close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
}

async function existingTarget(config: DrainspecConfig): Promise<Target> {
  const image = config.app.image || config.app.sampleImage || (config.app.manifests && prepareUserApp(readManifests(config.app.manifests), 'default', 30080, 1).images.join(', '));
  if (!image) throw new Error('--provider existing needs --image or --manifests (your app) or --sample-image (the sample app pushed to a registry the cluster can pull)');
  const clients = connect(config.existing.context, config.existing.kubeconfig);
  await checkApi(clients);
  const environment = await describeEnvironment(clients, 'existing', '');
  const close = async () => undefined;
  return { clients, environment, image, alternateImage: '', imagePullPolicy: 'IfNotPresent', nodePorts: nodePortsOf(DEFAULT_KIND_OPTIONS.nodePorts), ownsCluster: false, close, [Symbol.asyncDispose]: close };
}

export function openTarget(config: DrainspecConfig, progress: ProgressSink): Promise<Target> {
  return config.provider === 'kind' ? kindTarget(config, progress) : existingTarget(config);
}
