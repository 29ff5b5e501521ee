import { describe, expect, test } from 'vitest';
import type { AgentsLoadResult, AgentSummary } from '../agents/index.ts';
import { createServed, addServed } from '../model/served.ts';
import { formatAgentsTable, overlapRate } from './agents-rate.ts';

const agent = (index: number, startedAtMs: number, ok: number): AgentSummary => ({
  index, pod: `a-${index}`, node: 'n', startedAtMs, totals: { sent: ok, ok, failed: 0, inFlight: 0, byErrorCode: {} }, complete: true,
  missingSeqs: 0, duplicateLines: 0, unparsedLines: 0, firstUnparsed: [], clock: { offsetMs: 0, source: 'receive', receiveOffsetMs: 0, samples: 1, medianExtraDelayMs: 0 },
});

describe('agents benchmark rate', () => {
  test('counts only the window in which every agent was sending, away from its edges', () => {
    const served = createServed(0);
    // Agent 0 sends 1 request per ms over 0..4 s, agent 1 over 1..5 s: both send over 1..4 s (2 per ms).
    for (let ms = 0; ms < 4_000; ms++) addServed(served, { startMs: ms, reusedSocket: true });
    for (let ms = 1_000; ms < 5_000; ms++) addServed(served, { startMs: ms, reusedSocket: true });
    const result = { served, agents: [agent(0, 0, 4_000), agent(1, 1_000, 4_000)] } as unknown as AgentsLoadResult;
    const rate = overlapRate(result, 4_000);
    expect(rate).toEqual({ agents: 2, rps: 2_000, windowMs: 2_000, perAgentRps: [1_000, 1_000] });
    expect(formatAgentsTable([{ ...rate, agents: 1, rps: 1_000 }, rate]).split('\n')[2]).toMatch(/^2\s+2000\s+2\.00\s+2\.0\s+1000 \/ 1000$/);
  });

  test('agents that hardly overlapped are an error, not a figure', () => {
    const result = { served: createServed(0), agents: [agent(0, 0, 1), agent(1, 3_500, 1)] } as unknown as AgentsLoadResult;
    expect(() => overlapRate(result, 4_000)).toThrow(/overlapped for less than/);
  });
});
