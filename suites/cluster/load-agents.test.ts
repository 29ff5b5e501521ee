// In-cluster load agents on kind: a Job of agents in the run's namespace loads the sample app through its ClusterIP
// Service by cluster DNS name, streams every request back through the pod logs, and the harness merges them.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runAgents, type AgentParams, type AgentsLoadResult } from '../../harness/agents/index.ts';
import { serverSideApply } from '../../harness/k8s/apply.ts';
import { connect, type KubeClients } from '../../harness/k8s/client.ts';
import { createRunNamespace, type RunNamespace } from '../../harness/k8s/namespace.ts';
import { waitAvailable, type AppRef } from '../../harness/k8s/rollout.ts';
import { APP_LABEL, appDeployment, type AppSpec } from '../../harness/k8s/templates.ts';
import type { RequestRecord } from '../../harness/model/run-data.ts';
import { newRunId } from '../../harness/run/run-id.ts';

let clients: KubeClients;
let namespace: RunNamespace;
const app: AppRef = { namespace: '', name: 'app' };

/** Paced, modest: 2 agents × 4 keep-alive connections × 40 req/s, for 10 s. */
const paced = (): AgentParams => ({
  target: `http://app.${namespace.name}.svc.cluster.local:80`, profile: 'keepalive', connections: 4, requestsPerSecond: 40, backToBackShare: 0,
  requestTimeoutMs: 5_000, maxDurationMs: 10_000, maxRequests: 5_000,
});

/** Nodes pods may be scheduled on (kind's control plane is tainted NoSchedule). */
async function schedulableNodes(): Promise<string[]> {
  const nodes = (await clients.core.listNode()).items;
  return nodes.filter((n) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule')).map((n) => n.metadata?.name ?? '');
}

function summarise(result: AgentsLoadResult): string {
  return result.agents.map((a) => `agent ${a.index} ${a.pod} on ${a.node}: ${JSON.stringify(a.totals)} end=${a.endReason} clock=${JSON.stringify(a.clock)}`).join('\n');
}

beforeAll(async () => {
  clients = connect(inject('kubeContext'));
  namespace = await createRunNamespace(clients, newRunId(), 0);
  app.namespace = namespace.name;
  const spec: AppSpec = {
    name: 'app', namespace: namespace.name, image: inject('sampleAppImage'), containerPort: 8080, nodePort: 0, replicas: 3,
    env: { DRAINSPEC_VARIANT: 'graceful', DRAIN_DELAY_MS: '2000' }, readinessPath: '/readyz', terminationGracePeriodSeconds: 15,
    preStopSleepSeconds: 0, strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
  };
  await serverSideApply(clients, appDeployment(spec));
  // ClusterIP only: the agents reach it from inside; nothing is published on the host.
  await serverSideApply(clients, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: namespace.name },
    spec: { type: 'ClusterIP', selector: { [APP_LABEL]: 'app' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  } as never);
  await waitAvailable(clients, app, 3, 120_000);
});

afterAll(async () => {
  await namespace?.delete();
});

describe('in-cluster load agents', () => {
  test('two agents on different nodes; every record parsed; their totals add up to the merged ones; several pods served', async () => {
    const streamed: RequestRecord[] = [];
    const agents = await runAgents(clients, { namespace: namespace.name, image: inject('loadAgentImage'), agents: 2, params: paced(), name: 'agents-paced', onRecord: (r) => streamed.push(r) });
    const result = await agents.ended();
    console.log(`load agents (paced, 10 s):\n${summarise(result)}\nmerged ${JSON.stringify(result.totals)}, served by ${JSON.stringify(Object.fromEntries(Object.entries(result.served.pods).map(([pod, p]) => [pod, [...p.fresh, ...p.reused].reduce((a, b) => a + b, 0)])))}`);

    const nodes = agents.placements.map((p) => p.node);
    expect(nodes.every(Boolean)).toBe(true);
    if ((await schedulableNodes()).length >= 2) expect(new Set(nodes).size, `agents on ${nodes.join(', ')}`).toBe(2);

    for (const agent of result.agents) {
      expect(agent, `agent ${agent.index}`).toMatchObject({ complete: true, missingSeqs: 0, duplicateLines: 0, unparsedLines: 0, endReason: 'duration' });
      expect(agent.reportedTotals).toEqual(agent.totals);
      expect(agent.totals.sent).toBeGreaterThan(100);
    }
    expect(result.complete).toBe(true);
    for (const key of ['sent', 'ok', 'failed', 'inFlight'] as const) {
      expect(result.agents.reduce((sum, a) => sum + a.totals[key], 0), key).toBe(result.totals[key]);
    }
    expect(result.served.total).toBe(result.totals.ok);
    // What answered a failed request (status, body, pod), so that a failure here names its server.
    const failedAnswers = [...new Set(streamed.filter((r) => r.outcome === 'failed').map((r) => `${r.errorCode ?? '?'} ${r.status ?? ''} pod=${r.pod ?? '?'} "${r.bodyPrefix ?? ''}"`))].slice(0, 5);
    expect(result.totals.failed, failedAnswers.join('; ')).toBe(0);
    // Every request streamed live exactly once, with seqs unique across the agents.
    expect(streamed).toHaveLength(result.totals.sent);
    expect(new Set(streamed.map((r) => r.seq)).size).toBe(streamed.length);
    // Through the Service, kube-proxy spreads the agents' connections over the replicas.
    expect(Object.keys(result.served.pods).filter((pod) => pod.startsWith('app-')).length).toBeGreaterThan(1);
    expect(new Set(streamed.map((r) => r.pod)).size).toBeGreaterThan(1);

    // Offsets: measured from about one clock line a second, consistent with the Job's creation, stamped by the runtime.
    for (const { clock } of result.agents) {
      expect(clock.source).toBe('receive');
      expect(clock.samples).toBeGreaterThanOrEqual(8);
      expect(clock.offsetMs).toBeGreaterThanOrEqual(clock.lowerBoundMs ?? -Infinity);
      expect(clock.runtimeMinusAgentMs).toBeTypeOf('number');
      expect(clock.receivedMinusRuntimeMs).toBeTypeOf('number');
    }
    expect(result.startedAtMs).toBeGreaterThan(0);
  });

  test('stop() ends the agents early through their SIGTERM, and everything they sent is accounted for', async () => {
    // kind's nodes share the host's kernel clock: offsets from the runtime's line timestamps.
    const agents = await runAgents(clients, { namespace: namespace.name, image: inject('loadAgentImage'), agents: 2, params: { ...paced(), maxDurationMs: 120_000 }, name: 'agents-stopped', nodeClockOffsetMs: 0 });
    const startedMs = Date.now();
    while (agents.okCount() < 200 && Date.now() - startedMs < 30_000) await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await agents.stop();
    console.log(`load agents (stopped after ${Date.now() - startedMs} ms):\n${summarise(result)}`);
    expect(agents.okCount()).toBeGreaterThanOrEqual(200);
    for (const agent of result.agents) {
      expect(agent, `agent ${agent.index}`).toMatchObject({ complete: true, endReason: 'signal', missingSeqs: 0 });
      expect(agent.clock.source).toBe('runtime-stamps');
    }
    expect(result.totals.sent).toBe(result.totals.ok + result.totals.failed + result.totals.inFlight);
    expect(result.totals.failed).toBe(0);
  });

  test('negative control: an agent told to load another namespace refuses in its pod, before sending anything', async () => {
    const agents = await runAgents(clients, { namespace: namespace.name, image: inject('loadAgentImage'), agents: 1, params: { ...paced(), target: 'http://kube-dns.kube-system.svc.cluster.local:53' }, name: 'agents-refused' });
    const result = await agents.ended();
    const [agent] = result.agents;
    expect(agent?.error).toMatch(/only its own namespace's Services/);
    expect(agent?.totals.sent).toBe(0);
    expect(result.complete).toBe(false);
  });
});
