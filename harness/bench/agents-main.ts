// `npm run bench:agents`: throughput of the in-cluster load agents with 1, 2 and 3 agents (keep-alive, back to back,
// BENCH_SECONDS each, default 8) against the sample app (3 replicas) through its ClusterIP Service, on the running
// kind cluster (`npm run cluster:up`). Prints a table and, last, `ratios_vs_1_agent=<2 agents>,<3 agents>`.
// Figures only: no pass/fail. Everything runs in one namespace of its own, deleted at the end (also on Ctrl-C).
import { buildLoadAgentImage, runAgents, type AgentParams } from '../agents/index.ts';
import { DEFAULT_KIND_OPTIONS, startKindCluster } from '../cluster/kind-cluster.ts';
import { kindNodesHaveImage } from '../cluster/node-images.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { buildSampleAppImage } from '../images/sample-app-image.ts';
import { serverSideApply } from '../k8s/apply.ts';
import { connect } from '../k8s/client.ts';
import { createRunNamespace } from '../k8s/namespace.ts';
import { waitAvailable } from '../k8s/rollout.ts';
import { APP_LABEL, appDeployment } from '../k8s/templates.ts';
import { createProgress } from '../progress/progress.ts';
import { newRunId } from '../run/run-id.ts';
import { formatAgentsTable, overlapRate, type AgentsRate } from './agents-rate.ts';
import { benchSeconds } from './report.ts';

const CONNECTIONS_PER_AGENT = 8;
const AGENT_COUNTS = [1, 2, 3] as const;
const progress = (message: string): void => void process.stderr.write(`bench:agents: ${message}\n`);

async function main(): Promise<number> {
  const seconds = Math.max(4, benchSeconds(process.env.BENCH_SECONDS ?? '8'));
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted')));
  const cluster = await startKindCluster({ ...DEFAULT_KIND_OPTIONS, name: DEFAULT_CONFIG.cluster.name, nodeImage: '', keep: true, rebuild: false, progress: createProgress() });
  const app = await buildSampleAppImage();
  const agentImage = await buildLoadAgentImage();
  for (const tag of [app.tag, agentImage.tag]) {
    if (!(await kindNodesHaveImage(cluster.name, tag))) {
      progress(`loading ${tag} into the nodes`);
      await cluster.loadImage(tag);
    }
  }
  const clients = connect(cluster.context, '', { signal: stop.signal });
  const namespace = await createRunNamespace(clients, newRunId(), 0);
  try {
    progress(`namespace ${namespace.name}: sample app, 3 replicas, ClusterIP Service`);
    await serverSideApply(clients, appDeployment({
      name: 'app', namespace: namespace.name, image: app.tag, containerPort: 8080, nodePort: 0, replicas: 3, env: { DRAINSPEC_VARIANT: 'graceful' },
      readinessPath: '/readyz', terminationGracePeriodSeconds: 15, preStopSleepSeconds: 0, strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
    }));
    await serverSideApply(clients, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: namespace.name },
      spec: { type: 'ClusterIP', selector: { [APP_LABEL]: 'app' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    } as never);
    await waitAvailable(clients, { namespace: namespace.name, name: 'app' }, 3, 120_000, stop.signal);
    const params: AgentParams = {
      target: `http://app.${namespace.name}.svc.cluster.local:80`, profile: 'keepalive', pacing: 'back-to-back', connections: CONNECTIONS_PER_AGENT,
      requestsPerSecond: 1, requestTimeoutMs: 5_000, maxDurationMs: seconds * 1000, maxRequests: 10_000_000,
    };
    // A short first run: the app's pods and kube-proxy settle, the nodes read the agent image once.
    progress('warm-up: 1 agent, 2 s');
    const warmUp = await (await runAgents(clients, { namespace: namespace.name, image: agentImage.tag, agents: 1, params: { ...params, maxDurationMs: 2_000 }, name: 'bench-warm-up' })).ended();
    if (warmUp.totals.failed > 0) progress(`  warm-up failures: ${JSON.stringify(warmUp.totals.byErrorCode)}, e.g. ${JSON.stringify(warmUp.requests.find((r) => r.outcome === 'failed'))}`);
    const rates: AgentsRate[] = [];
    for (const agents of AGENT_COUNTS) {
      progress(`${agents} agent(s) × ${CONNECTIONS_PER_AGENT} connections, back to back, ${seconds} s`);
      // kind's nodes share the host's kernel clock (0); the receive-time offsets are printed beside for comparison.
      const running = await runAgents(clients, { namespace: namespace.name, image: agentImage.tag, agents, params, name: `bench-${agents}`, nodeClockOffsetMs: 0 });
      const result = await running.ended();
      if (!result.complete) progress(`warning: incomplete agent logs: ${JSON.stringify(result.agents.map((a) => ({ missing: a.missingSeqs, unparsed: a.firstUnparsed, error: a.error })))}`);
      const rate = overlapRate(result, params.maxDurationMs);
      rates.push(rate);
      const where = running.placements.map((p) => p.node).join(', ');
      const offsets = result.agents.map((a) => `${a.clock.offsetMs} ms (by receive time ${a.clock.receiveOffsetMs} ms)`).join(', ');
      progress(`  ${rate.rps.toFixed(0)} req/s; ${result.totals.ok} ok, ${result.totals.failed} failed; on ${where}; clock offsets ${offsets}`);
      const failed = result.requests.filter((r) => r.outcome === 'failed');
      if (failed.length > 0) progress(`  failed: ${JSON.stringify(result.totals.byErrorCode)}, e.g. ${JSON.stringify(failed[0])}`);
    }
    console.log(formatAgentsTable(rates));
    const base = rates[0]?.rps ?? Number.NaN;
    console.log(`ratios_vs_1_agent=${rates.slice(1).map((r) => (r.rps / base).toFixed(2)).join(',')}`);
    return 0;
  } finally {
    await namespace.delete();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench:agents: ${(error as Error).message}`);
  process.exitCode = 1;
}
