// Load from inside the cluster (--load-from cluster --agents 2) on kind: the agents' records merge into one report
// whose totals are their sum, the agents ran on different nodes, and the verdicts are the ones local load gives —
// a correct app passes, the controls fail with their classes, through the Service and through the ingress.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../../harness/config/defaults.ts';
import { sweepRunNamespaces } from '../../harness/k8s/namespace.ts';
import { CLIENT_MODELS } from '../../harness/model/run-data.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { reportPaths } from '../../harness/report/write-report.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import type { Target } from '../../harness/run/target.ts';
import { DEFAULT_MATRIX, expectedFor, selectScenarios } from '../../harness/scenarios/catalogue.ts';
import { suiteTarget } from './support/suite-target.ts';

const AGENTS = 2;
const scenarios = selectScenarios(DEFAULT_MATRIX, ['graceful/rollout-restart/keepalive', 'delayed-close/rollout-restart/keepalive', 'graceful/rollout-restart/fresh@ingress']);
const config: DrainspecConfig = { ...DEFAULT_CONFIG, reportDir: 'reports/conformance', load: { ...DEFAULT_CONFIG.load, from: 'cluster', agents: AGENTS } };
const runId = newRunId();
let target: Target;

beforeAll(async () => {
  target = await suiteTarget({ from: 7, to: 8 });
});

afterAll(async () => {
  if (target) await sweepRunNamespaces(target.clients, runId);
});

describe('load from inside the cluster', () => {
  test.each(scenarios.map((s, i) => [s.id, s, i] as const))('%s from 2 agents', async (_id, scenario, index) => {
    const [report] = await runMatrix({ config, runId, scenarios: [scenario], indexOffset: index, target, reportDir: reportPaths(config.reportDir, runId).dir, progress: createProgress(), signal: AbortSignal.timeout(15 * 60_000) });
    if (!report) throw new Error('runMatrix returned no report');
    expect(report.error, 'the scenario could not be tested').toBeUndefined();
    const agents = report.agents ?? [];
    expect(agents).toHaveLength(AGENTS);
    // Every agent's log arrived whole, and the report's totals are exactly their sum.
    expect(agents.every((a) => a.complete), JSON.stringify(agents.map((a) => ({ pod: a.pod, complete: a.complete, totals: a.totals, error: a.error })))).toBe(true);
    const sum = (key: 'sent' | 'ok' | 'failed' | 'inFlight') => agents.reduce((n, a) => n + a.totals[key], 0);
    expect({ sent: sum('sent'), ok: sum('ok'), failed: sum('failed'), inFlight: sum('inFlight') })
      .toEqual({ sent: report.totals?.sent, ok: report.totals?.ok, failed: report.totals?.failed, inFlight: report.totals?.inFlight });
    expect(agents.every((a) => a.totals.sent > 0)).toBe(true);
    // Spread across the two workers (the app's pods and the agents share them; the control plane is tainted).
    expect(new Set(agents.map((a) => a.node)).size).toBe(AGENTS);
    // On kind every container shares the host's clock: the measured offsets are within a few ms of 0.
    for (const a of agents) expect(Math.abs(a.clockOffsetMs), `${a.pod} clock offset (${a.clockSource})`).toBeLessThan(50);
    expect(report.coverage?.exercised, report.coverage?.note).toBe(true);
    for (const model of CLIENT_MODELS) {
      const expected = expectedFor(scenario, model);
      expect(report.models?.[model].verdict, `${model} clients`).toBe(expected.verdict);
      if (expected.verdict === 'fail') expect(report.models?.[model].primaryClass, `${model} clients`).toBe(expected.failureClass);
    }
  });
});
