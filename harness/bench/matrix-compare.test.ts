import { expect, test } from 'vitest';
import { sampleReport } from '../report/sample-report.ts';
import type { ScenarioReport } from '../report/report-model.ts';
import { compareMatrixRuns, formatComparison } from './matrix-compare.ts';

const serial = sampleReport();

test('the same verdicts in a third of the time: no flip, ratio 0.333', () => {
  const c = compareMatrixRuns({ ...serial, durationMs: 300_000 }, { ...serial, durationMs: 100_000 });
  expect(c).toEqual({ wallRatio: 0.333, flips: [], unpaired: [] });
  expect(formatComparison(c, 3, 300_000, 100_000).trim().split('\n').at(-1)).toBe('matrix_wall_ratio=0.333');
});

test('a changed verdict or strongest class is a flip, named per client model; a missing scenario is unpaired', () => {
  const [first, broken, ...rest] = serial.scenarios as ScenarioReport[];
  const starvedBroken: ScenarioReport = {
    ...(broken as ScenarioReport), verdict: 'error', error: 'the harness was starved: event loop stalled 600 ms (limit 250 ms)',
    models: { strict: { ...(broken as ScenarioReport).models!.strict, verdict: 'error' }, retrying: { ...(broken as ScenarioReport).models!.retrying, verdict: 'error' } },
  };
  const c = compareMatrixRuns(serial, { ...serial, scenarios: [first as ScenarioReport, starvedBroken, ...rest.slice(0, -1)] });
  expect(c.flips).toEqual([{ id: broken?.id, iteration: 1, changes: [
    'strict: fail:refused-before-endpoint-removal → error (the harness was starved: event loop stalled 600 ms (limit 250 ms))',
    'retrying: fail:refused-before-endpoint-removal → error (the harness was starved: event loop stalled 600 ms (limit 250 ms))',
  ] }]);
  expect(c.unpaired).toEqual([`${rest.at(-1)?.id} #1`]);
  expect(formatComparison(c, 2, 1, 1)).toContain('verdict_flips=1\n');
});

test('negative control: two errors for different reasons are no flip', () => {
  const [first] = serial.scenarios as ScenarioReport[];
  const errored = (error: string): ScenarioReport => ({ ...(first as ScenarioReport), verdict: 'error', error, models: undefined });
  expect(compareMatrixRuns({ ...serial, scenarios: [errored('stalled 254 ms')] }, { ...serial, scenarios: [errored('stalled 498 ms')] }).flips).toEqual([]);
});
