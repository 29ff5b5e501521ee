// Where the scenarios run: a kind cluster drainspec creates (or reuses), or an existing cluster reached through
// exactly one named kubeconfig context. Also decides which image is tested and how it reaches the nodes.
import { controlPlaneContainer, DEFAULT_KIND_OPTIONS, startKindCluster, type StartedCluster } from '../cluster/kind-cluster.ts';
import { nodePortsOf } from '../cluster/kind-config.ts';
import type { DrainspecConfig } from '../config/defaults.ts';
import { ensureEngine } from '../engine/docker-engine.ts';
import { buildSampleAppImage } from '../images/sample-app-image.ts';
import { cacheRoot } from '../cache/content-cache.ts';
import { ensureTraefikImage } from '../ingress/index.ts';
import { buildLoadAgentImage } from '../agents/index.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { labelIn } from '../config/options.ts';
import { reapLapsedRuns } from '../reaper/lapsed-runs.ts';
import { apiErrorReason, connect, deadlineSignal, withSignal, type KubeClients } from '../k8s/client.ts';
import { freeNodePorts } from '../k8s/node-ports.ts';
import { API_TIMEOUTS } from '../k8s/timeouts.ts';
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
  /** drainspec's Traefik image, loaded into the nodes when a planned scenario goes through the ingress (kind only). */
  ingressImage?: string;
  /** The in-cluster load agent image, with --load-from cluster (kind: built and loaded; existing: --agent-image). */
  agentImage?: string;
  close(): Promise<void>;
}

/** The scenarios for this config: the sample matrix, or your app's when --image is set. */
export function plannedScenarios(config: DrainspecConfig, hasAlternateImage: boolean): { scenarios: Scenario[]; skipped: string[] } {
  const yours = config.app.image || config.app.manifests;
  const catalogue = yours ? yourAppMatrix(config.app, config.via.length > 0 ? config.via : ['service'])
    : DEFAULT_MATRIX.filter((s) => config.via.length === 0 || config.via.includes(s.via));
  const skipped: string[] = [];
  const runnable = catalogue.filter((s) => {
    const reason = s.trigger === 'image-change' && !hasAlternateImage ? 'needs a second tag of the image'
      : s.trigger === 'node-drain' && config.provider === 'existing' ? 'cordons a shared node'
      : s.via === 'ingress' && config.provider === 'existing' && !config.ingress.className ? 'through the ingress needs --ingress-class on a cluster of yours'
      : config.load.from === 'cluster' && (s.load === 'sse' || s.load === 'websocket') ? `${s.load} streams run from the host only (--load-from host)`
      : s.via === 'ingress' && config.ingress.host && (s.load === 'sse' || s.load === 'websocket') ? `${s.load} streams do not send --host yet` : '';
    if (reason) skipped.push(`${s.id} (${reason})`);
    return !reason;
  });
  return { scenarios: selectScenarios(runnable, config.scenarios), skipped };
}

export interface OpenOptions {
  /** The run's id: its namespaces are its own, other runs' are judged live or stale. */
  runId: string;
  /** Ctrl-C: ends every API request, watch and wait of the run. */
  signal?: AbortSignal;
}

/**
 * The connect check: one request proves the server is the API and answers us, then the cluster is described — all
 * within API_TIMEOUTS.connectCheckMs, so a server that never answers (or answers once and then stalls) fails here
 * in one line naming the context and the server.
 */
async function connectCheck(clients: KubeClients, provider: string, nodeImage: string): Promise<ClusterEnvironment> {
  const phase = deadlineSignal('the connect check', API_TIMEOUTS.connectCheckMs, clients.signal);
  const probe = withSignal(clients, phase);
  try {
    await probe.core.listNamespace({ limit: 1 });
    return await describeEnvironment(probe, provider, nodeImage);
  } catch (error) {
    if (clients.signal?.aborted) throw clients.signal.reason;
    throw new Error(`cannot use context ${clients.context} (server ${clients.server}): ${apiErrorReason(error)}`, { cause: error });
  }
}

/**
 * Makes the cluster ready for this run: removes the namespaces (and cordons) of runs that are gone — their Leases
 * lapsed, or without a Lease they are 15 min old (reaper/lapsed-runs.ts) — and fails at once when no NodePort is
 * free. Live runs may share the cluster: each scenario picks a free NodePort just before it deploys (run-matrix.ts).
 */
async function claimCluster(clients: KubeClients, environment: ClusterEnvironment, published: number[], progress: ProgressSink): Promise<void> {
  try {
    const reaped = await reapLapsedRuns(clients, { clockOffsetMs: environment.clockOffsetMs, log: (line) => progress.line(line) });
    for (const run of reaped) for (const problem of run.result.problems) progress.line(`run ${run.runId}: ${problem}`);
    const { free, taken } = await freeNodePorts(clients, published);
    if (free.length > 0) return;
    const byDrainspec = [...taken.values()].some((owner) => owner.startsWith('drainspec-'));
    const owners = [...taken].map(([port, owner]) => `${port} (${owner})`).join(', ');
    throw new ClusterInUseError(`no free NodePort on context ${clients.context}: ${owners} are taken${byDrainspec ? ': another drainspec run is using them; wait for it to finish' : ': delete those Services'}`);
  } catch (error) {
    if (clients.signal?.aborted) throw clients.signal.reason;
    throw error instanceof ClusterInUseError ? error : new Error(`cannot prepare context ${clients.context} (server ${clients.server}): ${apiErrorReason(error)}`, { cause: error });
  }
}

class ClusterInUseError extends Error {}

async function kindTarget(config: DrainspecConfig, progress: ProgressSink, options: OpenOptions): Promise<Target> {
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
    let ingressImage: string | undefined;
    if (!config.ingress.className && plannedScenarios(config, alternateImage !== '').scenarios.some((s) => s.via === 'ingress')) {
      const end = progress.stage('build the Traefik ingress image (from Go modules; cached) and load it into the nodes');
      mkdirSync(join(cacheRoot(), 'logs'), { recursive: true });
      ingressImage = await ensureTraefikImage(join(cacheRoot(), 'logs', 'traefik-build.log'));
      await cluster.loadImage(ingressImage);
      end('ok');
    }
    let agentImage: string | undefined;
    if (config.load.from === 'cluster') {
      const end = progress.stage('build the load agent image and load it into the nodes');
      agentImage = (await buildLoadAgentImage()).tag;
      await cluster.loadImage(agentImage);
      end('ok');
    }
    const clients = connect(cluster.context, '', { signal: options.signal });
    const environment = await connectCheck(clients, 'kind', cluster.nodeImage);
    const nodePorts = nodePortsOf(cluster.nodePorts);
    await claimCluster(clients, environment, nodePorts, progress);
    const close = () => cluster.stop();
    return { clients, environment, image, alternateImage, imagePullPolicy: 'Never', nodePorts, ownsCluster: true, nodeContainer: controlPlaneContainer(cluster.name), ...(ingressImage ? { ingressImage } : {}), ...(agentImage ? { agentImage } : {}), close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
}

async function existingTarget(config: DrainspecConfig, progress: ProgressSink, options: OpenOptions): Promise<Target> {
  const image = config.app.image || config.app.sampleImage || (config.app.manifests && prepareUserApp(readManifests(config.app.manifests), 'default', 30080, 1).images.join(', '));
  if (!image) throw new Error('--provider existing needs --image or --manifests (your app) or --sample-image (the sample app pushed to a registry the cluster can pull)');
  const clients = connect(config.existing.context, config.existing.kubeconfig, {
    signal: options.signal, kubeconfigOption: labelIn(config, 'existing.kubeconfig'), contextOption: labelIn(config, 'existing.context'),
  });
  const environment = await connectCheck(clients, 'existing', '');
  const nodePorts = nodePortsOf(DEFAULT_KIND_OPTIONS.nodePorts);
  await claimCluster(clients, environment, nodePorts, progress);
  const close = async () => undefined;
  return {
    clients, environment, image, alternateImage: '', imagePullPolicy: 'IfNotPresent', nodePorts, ownsCluster: false,
    ...(config.load.from === 'cluster' ? { agentImage: config.load.agentImage } : {}), close, [Symbol.asyncDispose]: close,
  };
}

export function openTarget(config: DrainspecConfig, progress: ProgressSink, options: OpenOptions): Promise<Target> {
  return config.provider === 'kind' ? kindTarget(config, progress, options) : existingTarget(config, progress, options);
}
