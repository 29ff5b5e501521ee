// Load from inside the cluster: the agents' Job in the run's namespace, each agent's log followed as it runs and
// turned into records on arrival; stop() (or the agents' own bounds) ends it with one merged, accounted result.
import type { V1Pod } from '@kubernetes/client-node';
import { serverSideApply } from '../k8s/apply.ts';
import type { KubeClients } from '../k8s/client.ts';
import { followLog, type LogFollower } from '../k8s/follow-log.ts';
import { waitFor, WaitTimeoutError } from '../k8s/wait.ts';
import type { RequestRecord, RequestTotals } from '../model/run-data.ts';
import { AgentLog } from './agent-log.ts';
import { AGENT_DEFAULTS } from './defaults.ts';
import { agentJob, AGENTS_JOB_LABEL, COMPLETION_INDEX_ANNOTATION, type AgentJobSpec } from './job.ts';
import { mergeAgentLogs, type AgentsLoadResult } from './merge.ts';

export interface RunAgentsOptions extends AgentJobSpec {
  /**
   * Every request as its line arrives, ok ones included: harness clock with the agent's offset as measured so far
   * (the result applies the final one), seq unique across agents.
   */
  onRecord?: (record: RequestRecord) => void;
  /**
   * Harness clock − the nodes' clock, when known (kind: 0; an existing cluster: the API server's, from
   * measureClockOffset, negated): each agent's offset then comes from the runtime's line timestamps instead of from
   * when its clock lines arrived, which a busy log delays (AgentClock.source).
   */
  nodeClockOffsetMs?: number;
}

export interface AgentPlacement {
  index: number;
  pod: string;
  node: string;
}

export interface RunningAgents extends AsyncDisposable {
  /** Where each agent runs, by index. */
  placements: AgentPlacement[];
  /** Served requests so far, all agents (live, for condition waits). */
  okCount(): number;
  failedCount(): number;
  /** Each agent's counts so far. */
  agentTotals(): RequestTotals[];
  /** Waits for every agent to end by itself (its duration or request bound), then merges; stops them if they overrun. */
  ended(): Promise<AgentsLoadResult>;
  /** Stops the agents now (the Job's deletion sends each a SIGTERM), waits for their end lines, and merges. */
  stop(): Promise<AgentsLoadResult>;
}

/** How often finish() looks whether the agents' logs still flow. */
const FINISH_POLL_MS = 250;
/** finish() waits at most this many idle windows in all, however long a backlog keeps flowing. */
const FINISH_MAX_IDLE_WINDOWS = 6;

const jobRef = (namespace: string, name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace } });

async function deleteJob(clients: KubeClients, namespace: string, name: string): Promise<void> {
  // Background: the Job goes at once, so nothing recreates its pods while the garbage collector deletes them.
  await clients.objects.delete(jobRef(namespace, name), undefined, undefined, undefined, undefined, 'Background').catch((error: { code?: number }) => {
    if (error.code !== 404) throw error;
  });
}

const indexOf = (pod: V1Pod): number => Number(pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? pod.metadata?.labels?.[COMPLETION_INDEX_ANNOTATION] ?? -1);
const started = (pod: V1Pod): boolean => ['Running', 'Succeeded', 'Failed'].includes(pod.status?.phase ?? '');

/** Why a pod is not running yet, in one short phrase (ErrImageNeverPull: …, Unschedulable: …). */
function waitingReason(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  if (waiting?.reason) return `${waiting.reason}${waiting.message ? `: ${waiting.message.split('\n')[0]}` : ''}`;
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return unscheduled ? `${unscheduled.reason ?? 'unscheduled'}: ${unscheduled.message ?? ''}` : pod.status?.phase ?? 'unknown';
}

/** Follows one agent's log until its end line, resuming a broken stream (repeated lines are dropped by seq). */
function followAgent(clients: KubeClients, namespace: string, pod: string, log: AgentLog, signal: AbortSignal | undefined): { done: Promise<void>; stop(): void } {
  const done = Promise.withResolvers<void>();
  let follower: LogFollower | undefined;
  let stopped = false;
  let lastStamp: string | undefined;
  let resumes = 0;
  const finish = () => {
    stopped = true;
    follower?.stop();
    done.resolve();
  };
  const resume = () => {
    if (stopped || log.ended || resumes >= AGENT_DEFAULTS.maxLogResumes) return finish();
    resumes += 1;
    setTimeout(open, 1_000).unref();
  };
  const onLine = (line: string) => {
    const space = line.indexOf(' ');
    if (space > 0) lastStamp = line.slice(0, space);
    log.feed(line, Date.now());
    if (log.ended) finish();
  };
  function open(): void {
    if (stopped) return;
    const options = { timestamps: true, idleTimeoutMs: AGENT_DEFAULTS.logIdleMs, ...(lastStamp === undefined ? {} : { sinceTime: lastStamp }) };
    followLog(clients.config, namespace, pod, AGENT_DEFAULTS.container, onLine, () => (log.ended ? finish() : resume()), signal, options).then(
      (opened) => (stopped ? opened.stop() : (follower = opened)),
      () => (signal?.aborted ? finish() : resume()),
    );
  }
  signal?.addEventListener('abort', finish, { once: true });
  open();
  return { done: done.promise, stop: finish };
}

/** Creates the agents' Job, waits until every agent runs (following each log from then on), and returns the load. */
export async function runAgents(clients: KubeClients, options: RunAgentsOptions): Promise<RunningAgents> {
  const { namespace, agents, params } = options;
  const name = options.name ?? AGENT_DEFAULTS.jobName;
  const signal = clients.signal;
  const job = agentJob(options);
  const createdAtMs = Date.now();
  const logs = Array.from({ length: agents }, (_, index) => new AgentLog(index, agents, { createdAtMs, onRecord: options.onRecord, nodeClockOffsetMs: options.nodeClockOffsetMs }));
  const followers: ReturnType<typeof followAgent>[] = [];
  const placements: AgentPlacement[] = [];
  await serverSideApply(clients, job);
  try {
    let lastPods: V1Pod[] = [];
    await waitFor(async () => {
      lastPods = (await clients.core.listNamespacedPod({ namespace, labelSelector: `${AGENTS_JOB_LABEL}=${name}` })).items;
      for (const pod of lastPods) {
        const index = indexOf(pod);
        if (!started(pod) || index < 0 || index >= agents || followers[index]) continue;
        const podName = pod.metadata?.name ?? '';
        placements[index] = { index, pod: podName, node: pod.spec?.nodeName ?? '' };
        followers[index] = followAgent(clients, namespace, podName, logs[index] as AgentLog, signal);
      }
      return followers.filter(Boolean).length === agents ? true : undefined;
    }, { what: `${agents} load agents of Job ${name} to run`, timeoutMs: AGENT_DEFAULTS.podsRunningMs, intervalMs: 250, signal }).catch((error: unknown) => {
      if (!(error instanceof WaitTimeoutError)) throw error;
      const reasons = lastPods.filter((p) => !started(p)).map((p) => `${p.metadata?.name}: ${waitingReason(p)}`);
      throw new Error(`${error.message}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}: is the agent image loaded into the nodes?`);
    });
  } catch (error) {
    followers.forEach((f) => f?.stop());
    await deleteJob(clients.cleanup, namespace, name).catch(() => undefined);
    throw error;
  }

  const allDone = () => Promise.all(followers.map((f) => f.done));
  /** Lines received so far, all agents: grows while a backlog is still being read. */
  const received = () => logs.reduce((sum, log) => sum + log.okCount + log.failedCount, 0);
  /**
   * Waits for every end line; gives up once no line has arrived for `idleMs` (or after FINISH_MAX_IDLE_WINDOWS of
   * it in all), then stops following and merges what arrived. A busy log is read behind the agents: while its
   * backlog still flows, the end lines are on their way.
   */
  const finish = async (idleMs: number): Promise<AgentsLoadResult> => {
    const done = allDone().then(() => true);
    const hardDeadlineMs = Date.now() + idleMs * FINISH_MAX_IDLE_WINDOWS;
    let seen = received();
    let lastProgressMs = Date.now();
    while (!(await Promise.race([done, new Promise<false>((resolve) => setTimeout(() => resolve(false), FINISH_POLL_MS))]))) {
      const now = received();
      if (now !== seen) {
        seen = now;
        lastProgressMs = Date.now();
      }
      if (Date.now() - lastProgressMs >= idleMs || Date.now() >= hardDeadlineMs) break;
    }
    followers.forEach((f) => f.stop());
    return mergeAgentLogs(logs, createdAtMs);
  };
  let result: Promise<AgentsLoadResult> | undefined;
  const endLinesMs = params.requestTimeoutMs + AGENT_DEFAULTS.endLinesMs;
  const stop = (): Promise<AgentsLoadResult> => {
    result ??= (async () => {
      if (!logs.every((log) => log.ended)) await deleteJob(clients.cleanup, namespace, name);
      return finish(endLinesMs);
    })();
    return result;
  };
  return {
    placements,
    okCount: () => logs.reduce((sum, log) => sum + log.okCount, 0),
    failedCount: () => logs.reduce((sum, log) => sum + log.failedCount, 0),
    agentTotals: () => logs.map((log) => log.totals()),
    async ended() {
      const overrun = Promise.withResolvers<'overrun'>();
      const timer = setTimeout(() => overrun.resolve('overrun'), Math.max(0, createdAtMs + AGENT_DEFAULTS.podsRunningMs + params.maxDurationMs + endLinesMs - Date.now()));
      await Promise.race([allDone(), overrun.promise]);
      clearTimeout(timer);
      return stop();
    },
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}
