// Pure helpers for the agents benchmark: the served rate while every agent was sending, and the printed table.
import type { AgentsLoadResult } from '../agents/index.ts';
import { servedPerBucket } from '../model/served.ts';

export interface AgentsRate {
  agents: number;
  /** Served requests per second over the window in which every agent was sending. */
  rps: number;
  windowMs: number;
  /** Each agent's served requests per second over its own run. */
  perAgentRps: number[];
}

/** Leaves out each agent's first connections and last requests, so the window is steady load only. */
const EDGE_MS = 500;

export function overlapRate(result: AgentsLoadResult, durationMs: number): AgentsRate {
  const starts = result.agents.map((a) => a.startedAtMs ?? Number.NaN);
  if (starts.some(Number.isNaN)) throw new Error('an agent printed no start line: see its summary');
  const fromMs = Math.max(...starts) + EDGE_MS;
  const toMs = Math.min(...starts) + durationMs - EDGE_MS;
  const { originMs, bucketMs } = result.served;
  const first = Math.ceil((fromMs - originMs) / bucketMs);
  const last = Math.floor((toMs - originMs) / bucketMs); // exclusive
  if (last <= first) throw new Error(`the agents overlapped for less than ${2 * EDGE_MS} ms: run longer (BENCH_SECONDS)`);
  const counts = servedPerBucket(result.served).slice(first, last);
  const windowMs = (last - first) * bucketMs;
  return {
    agents: result.agents.length,
    rps: (counts.reduce((a, b) => a + b, 0) * 1000) / windowMs,
    windowMs,
    perAgentRps: result.agents.map((a) => (a.totals.ok * 1000) / durationMs),
  };
}

export function formatAgentsTable(rates: readonly AgentsRate[]): string {
  const base = rates[0]?.rps;
  const rows = [['agents', 'req/s (all sending)', 'vs 1 agent', 'window s', 'per agent req/s']];
  for (const r of rates) {
    rows.push([String(r.agents), r.rps.toFixed(0), base ? (r.rps / base).toFixed(2) : 'n/a', (r.windowMs / 1000).toFixed(1), r.perAgentRps.map((x) => x.toFixed(0)).join(' / ')]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
