// The agents' logs as one load result, in the harness's clock: what the local load's stop() gives (load/index.ts
// LoadResult), plus each agent's own totals and clock. Per agent, not merged: seq (made unique, see mergedSeq),
// the clock offset, and the end reason.
import type { LoadResult } from '../load/index.ts';
import { totalsOf } from '../load/accounted-load.ts';
import { createServed } from '../model/served.ts';
import type { AgentLog, AgentSummary } from './agent-log.ts';

export interface AgentsLoadResult extends LoadResult {
  /** The earliest agent's start line (harness clock): the served buckets' origin. */
  startedAtMs: number;
  /** Each agent's totals, completeness and clock, by index. */
  agents: AgentSummary[];
  /** Every agent's log arrived whole (see AgentSummary.complete). */
  complete: boolean;
}

/** Final offsets applied: served is rebuilt from each agent's per-millisecond counts, so it is exact. */
export function mergeAgentLogs(logs: readonly AgentLog[], fallbackStartMs: number): AgentsLoadResult {
  const starts = logs.map((log) => log.startedAtMs).filter((ms): ms is number => ms !== undefined);
  const startedAtMs = starts.length > 0 ? Math.min(...starts) : fallbackStartMs;
  const served = createServed(startedAtMs);
  const requests = [];
  const idleCloses = [];
  for (const log of logs) {
    log.served.addTo(served, log.clock().offsetMs);
    const own = log.harnessRecords();
    requests.push(...own.records);
    idleCloses.push(...own.idleCloses);
  }
  requests.sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  idleCloses.sort((a, b) => a.atMs - b.atMs);
  const agents = logs.map((log) => log.summary());
  // The scenario is as trustworthy as its most stalled agent.
  const harness = agents.map((a) => a.harness).filter((h) => h !== undefined).sort((a, b) => b.maxEventLoopDelayMs - a.maxEventLoopDelayMs)[0];
  return { requests, idleCloses, served, streams: [], totals: totalsOf(requests, served), startedAtMs, agents, complete: agents.every((a) => a.complete), ...(harness ? { harness } : {}) };
}
