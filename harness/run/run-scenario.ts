// One scenario on a real cluster: namespace → app → load → trigger → settle → evidence. Never judges; evaluate.ts does.
import type { DrainspecConfig } from '../config/defaults.ts';
import { serverSideApply } from '../k8s/apply.ts';
import type { KubeClients } from '../k8s/client.ts';
import { createRunNamespace } from '../k8s/namespace.ts';
import { observeApp } from '../k8s/observe.ts';
import { fireTrigger, listAppPods, podLabels, uncordon, waitAvailable, waitSettled, type AppRef, type TriggerContext } from '../k8s/rollout.ts';
import { appDeployment, appService, disruptionBudget } from '../k8s/templates.ts';
import { prepareUserApp, readManifests } from '../k8s/user-manifests.ts';
import { waitFor } from '../k8s/wait.ts';
import { DEFAULT_APP_CONFIG } from '../../sample-apps/app/config.ts';
import { parseStatusSet } from '../config/status-set.ts';
import { startLoad, type LoadResult } from '../load/index.ts';
import type { AgentRun, PodEvent, RequestRecord, Timeline } from '../model/run-data.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { YOUR_APP, type Scenario } from '../scenarios/catalogue.ts';
import { startAgentLoad } from './agent-load.ts';
import { CouldNotTestError } from './could-not-test.ts';
import { openClusterIngressPath, openIngressPath, openServicePath, type LoadPath } from './load-path.ts';
import { waitServedByAll } from './nodeport-ready.ts';
import { startPhaseClock, type PhaseClock } from './phase-clock.ts';
import { APP_NAME, replicasAfter, scenarioAppSpec } from './scenario-spec.ts';

export interface ScenarioContext {
  clients: KubeClients;
  config: DrainspecConfig;
  runId: string;
  image: string;
  alternateImage: string;
  imagePullPolicy: 'Never' | 'IfNotPresent' | 'Always';
  nodePortFor(index: number): number;
  /** Whether cluster-scoped actions (cordon) are allowed: only on a cluster drainspec created. */
  ownsCluster: boolean;
  progress: ProgressSink;
  signal: AbortSignal;
  /** Receives every request record as it ends (the run streams them to the report's NDJSON file). */
  onRecord?: (record: RequestRecord) => void;
  /** API-server clock − harness clock, for Kubernetes timestamps. */
  clockOffsetMs: number;
  /** How long kube-proxy may route by an endpoint change's old state (from its measured sync period). */
  routingLagMs: number;
  /** The kind node whose conntrack table attributes connections to pods; absent where drainspec cannot look. */
  nodeContainer?: string;
  /** The ingress controller image loaded into the nodes (Traefik), for scenarios through the ingress. */
  ingressImage?: string;
  /** The load agent image, with --load-from cluster. */
  agentImage?: string;
}

const WARM_UP_OK_REQUESTS = 30;
const LOAD_MAX_DURATION_MS = 6 * 60_000;
/** ~5 500 req/s for the whole LOAD_MAX_DURATION_MS: above what one harness process sends back to back here. */
const UNPACED_MAX_REQUESTS = 2_000_000;
const AFTER_SETTLE_OK_REQUESTS = 30;

export async function runScenario(ctx: ScenarioContext, scenario: Scenario, index: number): Promise<Timeline> {
  const { clients } = ctx;
  if (scenario.trigger === 'node-drain' && !ctx.ownsCluster) {
    throw new CouldNotTestError('node-drain cordons a node: it only runs on a cluster drainspec created (--provider kind)');
  }
  const phases = startPhaseClock();
  phases.enter('deploy');
  // Released after the scenario even on a kept cluster: a kept namespace would hold its NodePort, which later
  // scenarios (and the next run on the kept cluster) need. Its pods' grace periods run out in the background.
  const namespace = await createRunNamespace(clients, ctx.runId, index);
  let timeline: Timeline;
  try {
    timeline = await runInNamespace(ctx, scenario, namespace.name, index, phases);
  } finally {
    phases.enter('release');
    await namespace.release();
  }
  return { ...timeline, phasesMs: phases.stop() };
}

async function runInNamespace(ctx: ScenarioContext, scenario: Scenario, namespace: string, index: number, phases: PhaseClock): Promise<Timeline> {
  const { clients, config, progress } = ctx;
  const clusterIngress = scenario.via === 'ingress' && config.ingress.className !== '';
  if (scenario.via === 'ingress' && !clusterIngress && !ctx.ingressImage) throw new CouldNotTestError('through the ingress needs drainspec\'s Traefik loaded into a kind cluster drainspec runs (--provider kind)');
  const nodePort = ctx.nodePortFor(index);
  // Through the ingress the NodePort is the proxy's, and the app's Service is ClusterIP as it would be in production.
  const deployed = await deployApp(ctx, scenario, namespace, scenario.via === 'service' ? nodePort : undefined);
  const { app, replicas, graceMs } = deployed;
  const observation = observeApp(clients, app, { clockOffsetMs: ctx.clockOffsetMs });
  const triggerContext: TriggerContext = { alternateImage: ctx.alternateImage };
  /** The path's evidence collection (the proxy's log follower, the conntrack sampler), stopped once. */
  let loadPath: LoadPath | undefined;
  let pathStopped = false;
  const stopPath = () => {
    pathStopped = true;
    return loadPath?.stop();
  };
  try {
    await failFastOnProblems(observation.problems, () => waitAvailable(clients, app, replicas, 180_000, ctx.signal));
    phases.enter('reachable');
    loadPath = clusterIngress
      ? await openClusterIngressPath({
        clients, namespace, serviceName: deployed.serviceName, servicePort: deployed.servicePort, className: config.ingress.className,
        host: config.ingress.host, url: config.ingress.url, fromCluster: config.load.from === 'cluster', signal: ctx.signal,
      })
      : scenario.via === 'ingress'
      ? await openIngressPath({
        clients, namespace, image: ctx.ingressImage ?? '', nodePort, serviceName: deployed.serviceName, servicePort: deployed.servicePort,
        clockOffsetMs: ctx.clockOffsetMs, podByIp: observation.podByIp, signal: ctx.signal,
      })
      : undefined;
    const baseUrl = loadPath?.baseUrl ?? `http://127.0.0.1:${nodePort}`;
    const path = scenario.app === YOUR_APP ? config.app.requestPath : '/';
    if ((config.load.from === 'cluster' && !ctx.ownsCluster) || loadPath?.answered) {
      // A cluster of yours is not reachable from here without tunnels (the agents' warm-up shows the path works), or
      // the path has already seen the app answer through it.
    } else if (scenario.app === YOUR_APP) {
      await waitFor(async () => ((await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(2_000) })).ok ? true : undefined), { what: `the NodePort ${baseUrl}${path} to answer`, timeoutMs: 60_000, intervalMs: 500, signal: ctx.signal });
    } else {
      // Every pod reachable through kube-proxy before the load starts: the run measures the rollout, not start-up.
      const pods = (await listAppPods(clients, app)).map((p) => p.metadata?.name ?? '');
      await waitServedByAll(baseUrl, pods, 60_000, ctx.signal);
    }

    // Evidence collection starts before the load, so every connection (or proxied request) is seen from its start.
    const fromCluster = config.load.from === 'cluster';
    // Load from inside the cluster never crosses the NodePort: conntrack there would see nothing of it.
    loadPath ??= await openServicePath({
      nodePort, nodeContainer: fromCluster ? undefined : ctx.nodeContainer, podByIp: observation.podByIp, maxDurationMs: LOAD_MAX_DURATION_MS + 60_000,
      service: { namespace, name: deployed.serviceName, port: deployed.servicePort },
    });
    const startMs = Date.now();
    const loadOptions = {
      profile: scenario.load,
      path,
      ...(scenario.app === YOUR_APP
        ? { method: config.app.method, okStatus: parseStatusSet(config.app.okStatus), paths: { slowPath: config.app.slowPath, ssePath: config.app.ssePath, wsPath: config.app.wsPath } }
        // The sample app states its streams' heartbeat, so silence is caught within a few missed beats.
        : { streamHeartbeatMs: Math.max(DEFAULT_APP_CONFIG.sseIntervalMs, DEFAULT_APP_CONFIG.wsTickIntervalMs) }),
      connections: config.load.connections,
      requestsPerSecond: config.load.requestsPerSecond,
      pacing: scenario.pacing,
      ...(loadPath.hostHeader ? { hostHeader: loadPath.hostHeader } : {}),
      ...(loadPath.ingressService ? { ingressService: loadPath.ingressService } : {}),
      // Slow in-flight work must be able to outlive the grace period, so that only a SIGKILL (not our timeout) cuts it.
      requestTimeoutMs: scenario.load === 'slow' ? Math.min(120_000, Math.max(config.load.requestTimeoutMs, graceMs + 10_000)) : config.load.requestTimeoutMs,
      maxDurationMs: LOAD_MAX_DURATION_MS,
      onRecord: ctx.onRecord,
      // Back-to-back connections (all of them, or the keepalive profile's share) are bounded by time, not by the rate.
      maxRequests: scenario.pacing === 'back-to-back' || scenario.load === 'keepalive' ? UNPACED_MAX_REQUESTS : config.load.requestsPerSecond * LOAD_MAX_DURATION_MS / 1000,
    };
    if (fromCluster && !ctx.agentImage) throw new CouldNotTestError('--load-from cluster needs the load agent image: on a cluster of yours give --agent-image');
    const load = fromCluster
      ? await startAgentLoad({
        clients, namespace, image: ctx.agentImage ?? '', imagePullPolicy: ctx.imagePullPolicy, agents: config.load.agents,
        target: loadPath.inClusterUrl, load: loadOptions, runId: ctx.runId, nodeClockOffsetMs: -ctx.clockOffsetMs,
      })
      : await startLoad({ baseUrl, ...loadOptions });
    let stopped = false;
    let okAtLastTick = 0;
    const ticker = setInterval(() => {
      const ok = load.okCount();
      progress.update(`${scenario.id}: ${podSummary(observation.pods)} · ${ok - okAtLastTick} req/s · ${ok} ok, ${load.failedCount()} failed`);
      okAtLastTick = ok;
    }, 1_000);
    try {
      phases.enter('warm-up');
      await waitFor(async () => (load.okCount() >= WARM_UP_OK_REQUESTS ? true : undefined), { what: 'the load to warm up', timeoutMs: 30_000, signal: ctx.signal });
      progress.update(`${scenario.id}: triggering ${scenario.trigger}`);
      phases.enter('rollout');
      const triggerAtMs = Date.now();
      const replaced = await fireTrigger(clients, app, scenario.trigger, triggerContext);
      await failFastOnProblems(observation.problems, () => waitSettled(clients, app, replicasAfter(scenario, config), replaced, graceMs * replicas + 180_000, ctx.signal));
      phases.enter('after-settle');
      const okAtSettle = load.okCount();
      await waitFor(async () => (load.okCount() >= okAtSettle + AFTER_SETTLE_OK_REQUESTS ? true : undefined), { what: 'post-rollout requests', timeoutMs: 60_000, signal: ctx.signal });
      phases.enter('collect');
      const result: LoadResult & { agents?: AgentRun[] } = await load.stop();
      stopped = true;
      const evidence = await stopPath();
      await observation.stop();
      return {
        triggerAtMs, startMs, endMs: Date.now(), gracePeriodSeconds: graceMs / 1000,
        requests: result.requests, idleCloses: result.idleCloses, served: result.served, streams: result.streams, lifecycle: [...observation.lifecycle], pods: [...observation.pods],
        routingLagMs: ctx.routingLagMs, via: scenario.via, ...evidence, ...(result.agents ? { agents: result.agents } : {}),
        ...(result.harness ? { harness: result.harness } : {}),
      };
    } finally {
      clearInterval(ticker);
      if (!stopped) await load.stop();
    }
  } finally {
    if (!pathStopped) await stopPath();
    await observation.stop();
    if (triggerContext.cordonedNode) await uncordon(clients, triggerContext.cordonedNode);
  }
}

interface DeployedApp {
  app: AppRef;
  /** The app's Service and its first port (what an Ingress routes to). */
  serviceName: string;
  servicePort: number | string;
  replicas: number;
  /** The grace period the pods really have (the user's own, for their manifests). */
  graceMs: number;
}

/** Applies the sample app (or your image) from the typed templates, or your manifests as they are. */
async function deployApp(ctx: ScenarioContext, scenario: Scenario, namespace: string, nodePort: number | undefined): Promise<DeployedApp> {
  const { clients, config } = ctx;
  const replicas = config.rollout.replicas;
  let deployed: DeployedApp;
  if (config.app.manifests) {
    const user = prepareUserApp(readManifests(config.app.manifests), namespace, nodePort, replicas);
    await serverSideApply(clients, user.deployment);
    await serverSideApply(clients, user.service);
    deployed = { app: user.app, serviceName: user.app.service ?? user.app.name, servicePort: user.service.spec?.ports?.[0]?.port ?? 80, replicas, graceMs: (user.deployment.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30) * 1000 };
  } else {
    const spec = scenarioAppSpec(scenario, config, namespace, ctx.image, nodePort, ctx.imagePullPolicy);
    await serverSideApply(clients, appDeployment(spec));
    await serverSideApply(clients, appService(spec));
    deployed = { app: { namespace, name: APP_NAME }, serviceName: APP_NAME, servicePort: appService(spec).spec?.ports?.[0]?.port ?? 80, replicas, graceMs: spec.terminationGracePeriodSeconds * 1000 };
  }
  if (scenario.trigger === 'eviction') await serverSideApply(clients, disruptionBudget(namespace, deployed.app.name, podLabels(deployed.app), replicas - 1));
  return deployed;
}

/** "3 ready, 1 terminating" from the pod events seen so far. */
function podSummary(events: readonly PodEvent[]): string {
  const state = new Map<string, 'starting' | 'ready' | 'terminating' | 'gone'>();
  for (const e of events) {
    if (e.kind === 'created' && !state.has(e.pod)) state.set(e.pod, 'starting');
    if (e.kind === 'ready' && state.get(e.pod) === 'starting') state.set(e.pod, 'ready');
    if (e.kind === 'terminating') state.set(e.pod, 'terminating');
    if (e.kind === 'deleted') state.set(e.pod, 'gone');
  }
  const count = (s: string) => [...state.values()].filter((v) => v === s).length;
  return `pods ${count('ready')} ready, ${count('starting')} starting, ${count('terminating')} terminating`;
}

/** Runs `wait`, but gives up at once with CouldNotTestError when the observation reports a problem. */
async function failFastOnProblems(problems: readonly string[], wait: () => Promise<void>): Promise<void> {
  const watcher = new AbortController();
  const problem = waitFor(async () => (problems.length > 0 ? problems.join('; ') : undefined), { what: 'pod problems', timeoutMs: 3_600_000, intervalMs: 500, signal: watcher.signal })
    .then((reason) => Promise.reject(new CouldNotTestError(reason)), () => new Promise<never>(() => undefined));
  try {
    await Promise.race([wait(), problem]);
  } finally {
    watcher.abort();
  }
}
