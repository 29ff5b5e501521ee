// The agent inside its pod: the one load client (load/) against a Service of the agent's own namespace, every
// record printed as it ends (protocol.ts), bounded by its parameters' duration and request count, then an end line.
import type { LoadOptions, RunningLoad } from '../load/index.ts';
import { populationsFor, startLoad, validateLoadOptions } from '../load/index.ts';
import { probeStatus } from '../load/probe.ts';
import type { StatusRange } from '../load/request-policy.ts';
import { AGENT_DEFAULTS, AGENT_ENV } from './defaults.ts';
import { recordLineEncoder, type AgentLine, type EndReason, type RequestKind } from './protocol.ts';

/** What every agent of a Job runs (JSON in DRAINSPEC_AGENT_PARAMS); each agent sends at this rate, on these connections. */
export type AgentParams = Omit<LoadOptions, 'baseUrl' | 'onRecord' | 'okStatus' | 'inClusterNamespace' | 'streamHeartbeatMs' | 'profile'> & {
  /** `http://<service>.<namespace>.svc.cluster.local:<port>`: the agent refuses any other namespace, or host. */
  target: string;
  /**
   * Before the accounted load: probe the target (path, Host) until it answers 2xx–3xx, for at most this long — an
   * ingress controller must have picked the run's Ingress up (nothing from the host can see that in the cluster).
   */
  routedWithinMs?: number;
  profile: 'keepalive' | 'fresh' | 'slow';
  /** Served statuses as ranges (default 2xx–3xx). */
  okStatus?: StatusRange[];
};

export interface AgentIdentity {
  namespace: string;
  pod: string;
  node: string;
  index: number;
}

export interface AgentDeps {
  /** Writes lines (each ending in \n) to stdout. */
  write(text: string): void;
  now(): number;
  /** The load (tests point it at a local server). */
  startLoad(options: LoadOptions): Promise<RunningLoad>;
  /** Resolves when the pod is told to stop (SIGTERM on Job deletion). */
  stopSignal: Promise<void>;
  /** One GET on a fresh connection: its status, undefined when none came (routedWithinMs). */
  probe?: (url: string, host: string | undefined) => Promise<number | undefined>;
}

const ROUTED_PROBE_INTERVAL_MS = 250;

/** Probes until a 2xx–3xx answer, at most `withinMs` (so at most withinMs / 250 probes); whether one came. */
async function waitRouted(url: string, host: string | undefined, withinMs: number, deps: AgentDeps): Promise<boolean> {
  const probe = deps.probe;
  if (!probe) return true;
  const deadlineMs = deps.now() + withinMs;
  while (deps.now() < deadlineMs) {
    const status = await probe(url, host);
    if (status !== undefined && status >= 200 && status < 400) return true;
    await new Promise((resolve) => setTimeout(resolve, ROUTED_PROBE_INTERVAL_MS));
  }
  return false;
}

/** Reads parameters and identity from the env; throws one line naming what is missing. */
export function agentInput(env: NodeJS.ProcessEnv): { params: AgentParams; identity: AgentIdentity } {
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`${name} is not set: the agent runs only in the Job that runAgents creates`);
    return value;
  };
  const json = need(AGENT_ENV.params);
  let params: AgentParams;
  try {
    params = JSON.parse(json) as AgentParams;
  } catch (error) {
    throw new Error(`${AGENT_ENV.params} is not JSON: ${(error as Error).message}`);
  }
  if (typeof params !== 'object' || params === null || typeof params.target !== 'string') throw new Error(`${AGENT_ENV.params} must be an object with a target URL`);
  if (params.profile !== 'keepalive' && params.profile !== 'fresh' && params.profile !== 'slow') throw new Error(`profile ${String(params.profile)}: agents send the keepalive, fresh and slow profiles`);
  const index = Number(need(AGENT_ENV.index));
  if (!Number.isInteger(index) || index < 0) throw new Error(`${AGENT_ENV.index} must be a completion index, got ${env[AGENT_ENV.index]}`);
  const identity = { namespace: need(AGENT_ENV.namespace), pod: need(AGENT_ENV.pod), node: env[AGENT_ENV.node] ?? '', index };
  // The target is checked here, against the namespace the downward API gave, before anything is sent.
  validateLoadOptions(loadOptionsOf(params, identity.namespace));
  return { params, identity };
}

export function loadOptionsOf(params: AgentParams, namespace: string): LoadOptions {
  const { target, ...rest } = params;
  return { ...rest, baseUrl: target, inClusterNamespace: namespace };
}

/** The distinct kinds of request the populations send, for compact ok lines. */
export function requestKinds(options: LoadOptions): RequestKind[] {
  const kinds = new Map<string, RequestKind>();
  for (const p of populationsFor(options)) {
    const method = p.method === undefined || p.method === 'GET' ? undefined : p.method;
    kinds.set(`${p.client} ${method ?? 'GET'} ${p.path}`, method === undefined ? { client: p.client, path: p.path } : { client: p.client, method, path: p.path });
  }
  return [...kinds.values()];
}

/** Runs the load once and prints it; resolves with the exit code (0, or 2 when it could not run). */
export async function runAgent(params: AgentParams, identity: AgentIdentity, deps: AgentDeps): Promise<number> {
  let buffered = '';
  const flush = () => {
    if (buffered === '') return;
    deps.write(buffered);
    buffered = '';
  };
  const emit = (text: string) => {
    buffered += `${text}\n`;
    if (buffered.length >= 64 * 1024) flush();
  };
  const emitLine = (line: AgentLine) => emit(JSON.stringify(line));
  const clock = () => {
    emitLine({ t: 'clock', agentMs: deps.now() });
    flush(); // written at once: its delivery time measures the clock offset
  };
  const flusher = setInterval(flush, AGENT_DEFAULTS.flushIntervalMs);
  const ticker = setInterval(clock, AGENT_DEFAULTS.clockIntervalMs);
  try {
    const options = loadOptionsOf(params, identity.namespace);
    const kinds = requestKinds(options);
    emitLine({ t: 'start', agentMs: deps.now(), index: identity.index, pod: identity.pod, node: identity.node, kinds });
    clock();
    const encode = recordLineEncoder(kinds);
    let ended = 0;
    if (params.routedWithinMs !== undefined && !(await waitRouted(new URL(options.path ?? '/', options.baseUrl).href, options.hostHeader, params.routedWithinMs, deps))) {
      emitLine({ t: 'error', agentMs: deps.now(), message: `${options.baseUrl} (Host ${options.hostHeader ?? 'as the URL'}) did not answer 2xx–3xx within ${params.routedWithinMs} ms: is the Ingress routed?` });
      return 2;
    }
    let load: RunningLoad;
    try {
      load = await deps.startLoad({ ...options, onRecord: (record) => { ended += 1; emit(encode(record)); } });
    } catch (error) {
      emitLine({ t: 'error', agentMs: deps.now(), message: (error as Error).message });
      return 2;
    }
    const deadlineMs = deps.now() + params.maxDurationMs;
    let signalled = false;
    void deps.stopSignal.then(() => (signalled = true));
    // The load stops issuing by itself at either bound; this notices, so that stop() accounts for what is left.
    const reason = await new Promise<EndReason>((resolve) => {
      const check = setInterval(() => {
        const why: EndReason | undefined = signalled ? 'signal' : deps.now() >= deadlineMs ? 'duration' : ended >= params.maxRequests ? 'requests' : undefined;
        if (why === undefined) return;
        clearInterval(check);
        resolve(why);
      }, 50);
    });
    const result = await load.stop();
    emitLine({ t: 'end', agentMs: deps.now(), reason, totals: result.totals, idleCloses: result.idleCloses, ...(result.harness ? { harness: result.harness } : {}) });
    return 0;
  } finally {
    clearInterval(flusher);
    clearInterval(ticker);
    flush();
  }
}

export const realAgentDeps = (stopSignal: Promise<void>): AgentDeps => ({
  write: (text) => process.stdout.write(text),
  now: Date.now,
  startLoad,
  stopSignal,
  probe: probeStatus,
});
