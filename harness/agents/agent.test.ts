// The agent run in-process against a loopback server (its load pointed there by the test), its stdout fed to the
// harness's side: the merged result is exactly what the load itself recorded, shifted by the measured offset.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startLoad, type LoadOptions } from '../load/index.ts';
import type { RequestRecord } from '../model/run-data.ts';
import { aggregateServed } from '../model/served.ts';
import { agentInput, runAgent, type AgentParams } from './agent.ts';
import { AgentLog, mergedSeq } from './agent-log.ts';
import { AGENT_ENV } from './defaults.ts';
import { mergeAgentLogs } from './merge.ts';
import { parseAgentLine } from './protocol.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Answers from two "pods" in turn; every 7th request is a 503. */
async function twoPodServer(): Promise<number> {
  let n = 0;
  const server = createServer((_req, res) => {
    n += 1;
    res.writeHead(n % 7 === 0 ? 503 : 200, { 'x-drainspec-pod': n % 2 === 0 ? 'pod-a' : 'pod-b' }).end('hello');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const params: AgentParams = {
  target: 'http://app.run-1.svc.cluster.local:8080', profile: 'keepalive', connections: 4, requestsPerSecond: 400,
  requestTimeoutMs: 1_000, maxDurationMs: 800, maxRequests: 150,
};

interface AgentRun {
  lines: string[];
  /** What the load itself reported, in the agent's clock. */
  records: RequestRecord[];
  exitCode: number;
}

/** Runs one agent whose load goes to 127.0.0.1:`port` instead of the Service (DNS names do not resolve here). */
async function runLocally(port: number, index: number, agentParams: AgentParams = params, stopSignal: Promise<void> = new Promise(() => undefined)): Promise<AgentRun> {
  let out = '';
  const records: RequestRecord[] = [];
  const exitCode = await runAgent(agentParams, { namespace: 'run-1', pod: `agent-${index}`, node: 'node-1', index }, {
    write: (text) => (out += text),
    now: Date.now,
    stopSignal,
    startLoad: (options: LoadOptions) => startLoad({ ...options, baseUrl: `http://127.0.0.1:${port}`, inClusterNamespace: undefined, onRecord: (r) => { records.push(structuredClone(r)); options.onRecord?.(r); } }),
  });
  return { lines: out.split('\n').filter(Boolean), records, exitCode };
}

/** Feeds the lines as if each clock line took `delayMs` to arrive (other lines: later still). */
function feed(log: AgentLog, lines: readonly string[], delayMs: number): void {
  for (const line of lines) {
    const parsed = parseAgentLine(line);
    const agentMs = parsed.kind === 'line' && 'agentMs' in parsed.line ? parsed.line.agentMs : Date.now();
    log.feed(line, agentMs + delayMs + (parsed.kind === 'line' && parsed.line.t === 'clock' ? 0 : 25));
  }
}

const shift = (r: RequestRecord, offsetMs: number, index: number, agents: number): RequestRecord => {
  const shifted: RequestRecord = { ...r, seq: mergedSeq(r.seq, index, agents), startMs: r.startMs + offsetMs };
  if (r.endMs !== undefined) shifted.endMs = r.endMs + offsetMs;
  if (r.retryOf !== undefined) shifted.retryOf = mergedSeq(r.retryOf, index, agents);
  if (r.retriedAs !== undefined) shifted.retriedAs = mergedSeq(r.retriedAs, index, agents);
  return shifted;
};

describe('load agent', () => {
  test('prints start, clock, one line per request and an end line; stops at its request bound', async () => {
    const run = await runLocally(await twoPodServer(), 0);
    expect(run.exitCode).toBe(0);
    const parsed = run.lines.map(parseAgentLine);
    expect(parsed.filter((p) => p.kind === 'unparsed')).toEqual([]);
    const tags = parsed.map((p) => (p.kind === 'ok' ? 'ok' : p.kind === 'line' ? p.line.t : 'unparsed'));
    expect(tags.slice(0, 2)).toEqual(['start', 'clock']);
    expect(tags.at(-1)).toBe('end');
    const end = parsed.at(-1);
    if (end?.kind !== 'line' || end.line.t !== 'end') throw new Error('no end line');
    expect(end.line.totals.sent).toBe(run.records.length);
    expect(tags.filter((t) => t === 'ok' || t === 'req')).toHaveLength(run.records.length);
    expect(run.records.length).toBeGreaterThanOrEqual(params.maxRequests);
    expect(end.line.reason).toBe('requests');
    expect(end.line.harness).toMatchObject({ maxEventLoopDelayMs: expect.any(Number), cpuUserMs: expect.any(Number), wallMs: expect.any(Number) });
  });

  test('the harness rebuilds exactly the records and served buckets the load made, in its own clock', async () => {
    const port = await twoPodServer();
    const runs = await Promise.all([runLocally(port, 0), runLocally(port, 1)]);
    const createdAtMs = Date.now() - 60_000;
    const logs = [new AgentLog(0, 2, { createdAtMs }), new AgentLog(1, 2, { createdAtMs })];
    const offsets = [7, -40];
    runs.forEach((run, i) => feed(logs[i] as AgentLog, run.lines, offsets[i] as number));
    const merged = mergeAgentLogs(logs, 0);

    const shifted = runs.flatMap((run, i) => run.records.map((r) => shift(r, offsets[i] as number, i, 2)));
    expect(merged.requests).toEqual(shifted.filter((r) => r.outcome !== 'ok').sort((a, b) => a.startMs - b.startMs || a.seq - b.seq));
    expect(merged.served).toEqual(aggregateServed(shifted, merged.startedAtMs));
    expect(merged.requests.some((r) => r.errorCode === 'HTTP_STATUS')).toBe(true);
    expect(Object.keys(merged.served.pods).sort()).toEqual(['pod-a', 'pod-b']);
    // Sums: every agent complete, and the agents' totals add up to the merged ones.
    expect(merged.complete).toBe(true);
    // The merged result carries the most stalled agent's own event-loop figures.
    expect(merged.harness?.maxEventLoopDelayMs).toBe(Math.max(...merged.agents.map((a) => a.harness?.maxEventLoopDelayMs ?? -1)));
    for (const key of ['sent', 'ok', 'failed', 'inFlight'] as const) {
      expect(merged.agents.reduce((sum, a) => sum + a.totals[key], 0)).toBe(merged.totals[key]);
    }
    expect(new Set(shifted.map((r) => r.seq)).size).toBe(shifted.length);
    expect(merged.agents.map((a) => [a.clock.offsetMs, a.pod, a.node])).toEqual([[7, 'agent-0', 'node-1'], [-40, 'agent-1', 'node-1']]);
  });

  test('a SIGTERM ends it early with an end line that accounts for everything sent', async () => {
    const stop = Promise.withResolvers<void>();
    setTimeout(stop.resolve, 200);
    const run = await runLocally(await twoPodServer(), 0, { ...params, maxRequests: 1_000_000, maxDurationMs: 60_000, requestsPerSecond: 50 }, stop.promise);
    const end = parseAgentLine(run.lines.at(-1) ?? '');
    expect(end.kind === 'line' && end.line.t === 'end' && end.line.reason).toBe('signal');
    expect(end.kind === 'line' && end.line.t === 'end' && end.line.totals.sent).toBe(run.records.length);
  });

  test('its input comes from the env, and a target outside its own namespace is refused before anything is sent', () => {
    const env = { [AGENT_ENV.params]: JSON.stringify(params), [AGENT_ENV.namespace]: 'run-1', [AGENT_ENV.pod]: 'p', [AGENT_ENV.node]: 'n', [AGENT_ENV.index]: '1' };
    expect(agentInput(env).identity).toEqual({ namespace: 'run-1', pod: 'p', node: 'n', index: 1 });
    expect(() => agentInput({ ...env, [AGENT_ENV.namespace]: 'run-2' })).toThrow(/only its own namespace's Services/);
    expect(() => agentInput({ ...env, [AGENT_ENV.params]: JSON.stringify({ ...params, target: 'http://127.0.0.1:8080' }) })).toThrow(/only its own namespace's Services/);
    expect(() => agentInput({ ...env, [AGENT_ENV.params]: JSON.stringify({ ...params, target: 'http://example.com' }) })).toThrow(/only its own namespace's Services/);
    expect(() => agentInput({ ...env, [AGENT_ENV.params]: JSON.stringify({ ...params, profile: 'sse' }) })).toThrow(/keepalive, fresh and slow/);
    expect(() => agentInput({ ...env, [AGENT_ENV.params]: JSON.stringify({ ...params, maxDurationMs: 'long' }) })).toThrow(/maxDurationMs must be/);
    expect(() => agentInput({ ...env, [AGENT_ENV.namespace]: undefined })).toThrow(/DRAINSPEC_AGENT_NAMESPACE is not set/);
    expect(() => agentInput({ ...env, [AGENT_ENV.params]: '{' })).toThrow(/is not JSON/);
  });
});
