// One container-suite scenario: a fleet of one variant under accounted load and long-lived streams,
// one instance terminated (SIGTERM, endpoint-removal lag, SIGKILL at the grace period), everything recorded.
import type { AppVariant, LifecycleEvent, RequestRecord, RequestTotals, StreamRecord } from '../../../harness/model/run-data.ts';
import type { BalancerStats } from '../../../harness/testbalancer/index.ts';
import { appEnv, POPULATIONS, SUITE } from '../settings.ts';
import { startAccountedLoad, totalsOf, type Population, type RunningLoad } from '../../../harness/load/accounted-load.ts';
import { servedCount, type ServedAggregate, type ServedQuery } from '../../../harness/model/served.ts';
import { startAppFleet, type Termination } from './app-fleet.ts';
import { openSse, openWebSocket, type StreamClient } from '../../../harness/load/stream-clients.ts';
import { waitUntil } from './wait-until.ts';

export interface ScenarioSpec {
  image: string;
  variant: AppVariant;
  env: Record<string, string>;
  /** Opened first and each answered once, so their connections spread a,b,a,b deterministically. */
  pinnedPopulations: Population[];
  populations: Population[];
  sseStreams: number;
  webSockets: number;
  preStopMs?: number;
}

export interface ScenarioResult {
  terminated: string;
  termination: Termination;
  /** Failed and in-flight requests (successes are aggregated in `served`, one per load). */
  requests: RequestRecord[];
  served: ServedAggregate[];
  totals: RequestTotals;
  streams: StreamRecord[];
  lifecycle: LifecycleEvent[];
  balancer: BalancerStats;
}

/** Successful requests across loads that match `query` (pod, started at/after, fresh or reused socket). */
export const servedAcross = (served: readonly ServedAggregate[], query: ServedQuery = {}): number => served.reduce((n, s) => n + servedCount(s, query), 0);

/**
 * The suites' standard scenario: keep-alive and fresh-connection load, slow in-flight requests pinned to both
 * instances, two SSE streams and two WebSockets; the summary is printed for the test log.
 */
export async function runUnderStandardLoad(image: string, variant: AppVariant, extra: Partial<ScenarioSpec> = {}): Promise<ScenarioResult> {
  const result = await runTerminationScenario({
    image,
    variant,
    env: appEnv(),
    pinnedPopulations: [POPULATIONS.slow],
    populations: [POPULATIONS.keepalive, POPULATIONS.fresh],
    sseStreams: 2,
    webSockets: 2,
    ...extra,
  });
  console.log(summarize(result));
  return result;
}

export async function runTerminationScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  await using fleet = await startAppFleet(spec.image, spec.variant, { instances: SUITE.instances, env: spec.env });
  const [victim, survivor] = fleet.instances.map((i) => i.id) as [string, string];
  const streamClients: StreamClient[] = [];
  const loads: RunningLoad[] = [];
  const allServed = (): ServedAggregate[] => loads.map((l) => l.served());
  const startLoad = (populations: Population[]): RunningLoad => {
    const load = startAccountedLoad({ baseUrl: fleet.balancer.url, populations, maxRequests: SUITE.maxRequests, maxDurationMs: SUITE.maxLoadDurationMs, requestTimeoutMs: SUITE.requestTimeoutMs });
    loads.push(load);
    return load;
  };
  try {
    for (let i = 0; i < spec.sseStreams + spec.webSockets; i += 1) {
      const client = i < spec.sseStreams ? openSse(fleet.balancer.url, { maxReconnects: 3, maxRetryWaitMs: 1_000 }) : openWebSocket(fleet.balancer.url);
      streamClients.push(client);
      await waitUntil(`stream ${i} to receive its first message`, () => (client.records()[0]?.messages ?? 0) > 0, SUITE.conditionTimeoutMs);
    }
    if (spec.pinnedPopulations.length > 0) {
      const pinned = startLoad(spec.pinnedPopulations);
      const workers = spec.pinnedPopulations.reduce((sum, p) => sum + p.workers, 0);
      await waitUntil('every pinned worker to get a first answer', () => pinned.served().total >= workers, SUITE.conditionTimeoutMs);
    }
    startLoad(spec.populations);
    for (const id of [victim, survivor]) {
      await waitUntil(`${id} to answer ${SUITE.warmupOkPerInstance} requests`, () => servedAcross(allServed(), { pod: id }) >= SUITE.warmupOkPerInstance, SUITE.conditionTimeoutMs);
    }

    const termination = await fleet.terminate(victim, { gracePeriodMs: SUITE.gracePeriodMs, lagMs: SUITE.endpointRemovalLagMs, preStopMs: spec.preStopMs });
    await waitUntil(`${SUITE.okAfterExit} answers after ${victim} exited`, () => servedAcross(allServed(), { fromMs: termination.exitedAtMs }) >= SUITE.okAfterExit, SUITE.conditionTimeoutMs);

    const results = await Promise.all(loads.map((l) => l.stop()));
    const requests = results.flatMap((r) => r.records).sort((a, b) => a.startMs - b.startMs);
    const served = results.map((r) => r.served);
    const totals = totalsOf(requests);
    const okServed = served.reduce((n, x) => n + x.total, 0);
    return {
      terminated: victim,
      termination,
      requests,
      served,
      totals: { ...totals, ok: totals.ok + okServed, sent: totals.sent + okServed },
      streams: streamClients.flatMap((c) => c.stop()),
      lifecycle: fleet.instance(victim).lifecycle,
      balancer: fleet.balancer.stats(),
    };
  } finally {
    for (const client of streamClients) client.stop();
    await Promise.all(loads.map((l) => l.stop()));
  }
}

/** One line for the log: what the scenario measured. */
export function summarize(result: ScenarioResult): string {
  const { totals, termination } = result;
  const codes = Object.entries(totals.byErrorCode).map(([code, n]) => `${code}=${n}`).join(' ') || 'none';
  const victimStats = result.balancer.upstreams.find((u) => u.id === result.terminated);
  const t0 = termination.triggerAtMs;
  const failures = result.requests
    .filter((r) => r.outcome === 'failed')
    .slice(0, 5)
    .map((r) => `${r.client} ${r.path} ${r.errorCode} reused=${r.reusedSocket} +${r.startMs - t0}..+${(r.endMs ?? 0) - t0}ms`);
  const lifecycle = result.lifecycle.map((e) => `${e.event}@${e.atMs - t0}`).join(' ');
  return `${result.terminated}: exit ${termination.exitCode} after ${termination.exitedAtMs - termination.triggerAtMs} ms; requests sent=${totals.sent} ok=${totals.ok} failed=${totals.failed} inFlight=${totals.inFlight} (${codes}); balancer→victim connectFailures=${victimStats?.connectFailures} unanswered=${victimStats?.unanswered}; streams ${result.streams.map((s) => `${s.kind}@${s.pod}:${s.end}${s.closeCode ?? ''}`).join(' ')}; lifecycle(ms from SIGTERM) ${lifecycle}; removed +${termination.removedAtMs - t0}; first failures: ${failures.join(' | ') || 'none'}`;
}
