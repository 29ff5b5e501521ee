// Load from inside the cluster for one scenario: the same load parameters as the host's, split between the agents
// (connections, rate and request bound are totals), aimed at the Service or the ingress by its cluster DNS name.
import { runAgents, type AgentParams, type RunningAgents } from '../agents/index.ts';
import type { AgentsLoadResult } from '../agents/index.ts';
import type { KubeClients } from '../k8s/client.ts';
import type { LoadOptions, LoadResult } from '../load/index.ts';
import type { StatusRange } from '../load/request-policy.ts';
import type { AgentRun } from '../model/run-data.ts';
import { CouldNotTestError } from './could-not-test.ts';

export interface AgentLoadOptions {
  clients: KubeClients;
  namespace: string;
  image: string;
  imagePullPolicy: 'Never' | 'IfNotPresent' | 'Always';
  agents: number;
  /** `http://<service>.<namespace>.svc.cluster.local:<port>` (the app's Service, or the ingress controller's). */
  target: string;
  /** The host's load options for the same scenario (totals). */
  load: Omit<LoadOptions, 'baseUrl'>;
  runId: string;
  /** Harness clock − the nodes' clock (kind: 0; else the negated API-server offset). */
  nodeClockOffsetMs: number;
}

/** How long an agent waits for the cluster's ingress controller to route the run's Ingress before its load. */
const AGENT_ROUTED_WITHIN_MS = 60_000;

/** Per agent: an even share of the totals, at least one connection and one request per second each. */
export function agentParams(load: Omit<LoadOptions, 'baseUrl'>, agents: number, target: string): AgentParams {
  if (load.profile !== 'keepalive' && load.profile !== 'fresh' && load.profile !== 'slow') throw new CouldNotTestError(`${load.profile} streams run from the host only (--load-from host)`);
  if (load.okStatus !== undefined && typeof load.okStatus === 'function') throw new Error('agents take ok statuses as ranges only');
  const share = (total: number) => Math.max(1, Math.ceil(total / agents));
  return {
    target, profile: load.profile, connections: share(load.connections), requestsPerSecond: share(load.requestsPerSecond),
    requestTimeoutMs: load.requestTimeoutMs, maxDurationMs: load.maxDurationMs, maxRequests: share(load.maxRequests),
    ...(load.path !== undefined ? { path: load.path } : {}), ...(load.method !== undefined ? { method: load.method } : {}),
    ...(load.okStatus !== undefined ? { okStatus: load.okStatus as StatusRange[] } : {}),
    ...(load.backToBackShare !== undefined ? { backToBackShare: load.backToBackShare } : {}),
    ...(load.pacing !== undefined ? { pacing: load.pacing } : {}), ...(load.paths !== undefined ? { paths: load.paths } : {}),
    ...(load.hostHeader !== undefined ? { hostHeader: load.hostHeader } : {}),
    // Through the cluster's own controller: each agent first waits (bounded) until the run's Ingress routes.
    ...(load.ingressService !== undefined ? { ingressService: load.ingressService, routedWithinMs: AGENT_ROUTED_WITHIN_MS } : {}),
  };
}

export interface RunningAgentLoad {
  okCount(): number;
  failedCount(): number;
  /** The merged result, as the host's load gives it, with each agent's run. */
  stop(): Promise<LoadResult & { agents: AgentRun[]; complete: boolean }>;
}

export async function startAgentLoad(options: AgentLoadOptions): Promise<RunningAgentLoad> {
  const agents: RunningAgents = await runAgents(options.clients, {
    namespace: options.namespace, image: options.image, imagePullPolicy: options.imagePullPolicy, agents: options.agents,
    params: agentParams(options.load, options.agents, options.target), runId: options.runId,
    nodeClockOffsetMs: options.nodeClockOffsetMs, ...(options.load.onRecord ? { onRecord: options.load.onRecord } : {}),
  });
  return {
    okCount: () => agents.okCount(), failedCount: () => agents.failedCount(),
    stop: async () => {
      const result = await agents.stop();
      return { ...result, agents: agentRuns(result) };
    },
  };
}

/** What the report keeps of each agent: where it ran, what it sent, how its clock was aligned. */
export function agentRuns(result: AgentsLoadResult): AgentRun[] {
  return result.agents.map((a) => ({
    index: a.index, pod: a.pod, node: a.node, totals: a.totals, complete: a.complete,
    clockOffsetMs: a.clock.offsetMs, clockSource: a.clock.source, ...(a.error ? { error: a.error } : {}), ...(a.harness ? { harness: a.harness } : {}),
  }));
}
