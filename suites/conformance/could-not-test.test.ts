// Faults in the set-up are "could not test" (verdict error, with the reason), never a pass or a fail; the scenario
// released its namespace (deletion under way) and the run's sweep leaves nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { RUN_ID_LABEL, sweepRunNamespaces } from '../../harness/k8s/namespace.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import type { Target } from '../../harness/run/target.ts';
import { DEFAULT_MATRIX } from '../../harness/scenarios/catalogue.ts';
import { suiteTarget } from './support/suite-target.ts';

let target: Target;
const runId = newRunId();
const scenario = DEFAULT_MATRIX.find((s) => s.id === 'graceful/pod-delete/keepalive');

beforeAll(async () => {
  target = await suiteTarget({ from: 7, to: 8 });
});

const runNamespaces = async () => (await target.clients.core.listNamespace({ labelSelector: `${RUN_ID_LABEL}=${runId}` })).items;

afterAll(async () => {
  if (!target) return;
  await sweepRunNamespaces(target.clients, runId);
  expect((await runNamespaces()).map((n) => n.metadata?.name)).toEqual([]);
});

describe('could not test', () => {
  test('an image missing on the nodes is verdict error with the kubelet reason', async () => {
    if (!scenario) throw new Error('catalogue lost graceful/pod-delete/keepalive');
    const missing = { ...target, image: 'drainspec/not-loaded:0' };
    const [report] = await runMatrix({
      config: { ...DEFAULT_CONFIG, reportDir: 'reports/conformance' }, runId, scenarios: [scenario], target: missing,
      reportDir: `reports/conformance/${runId}`, progress: createProgress(), signal: AbortSignal.timeout(5 * 60_000),
    });
    expect(report?.verdict).toBe('error');
    expect(report?.matched).toBe(false);
    expect(report?.error).toMatch(/ErrImageNeverPull/);
    // Released when the scenario ended: no namespace of the run is still Active (its deletion may still run).
    expect((await runNamespaces()).filter((n) => n.status?.phase === 'Active').map((n) => n.metadata?.name)).toEqual([]);
  });
});
