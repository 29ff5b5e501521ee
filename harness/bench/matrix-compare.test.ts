import { expect, test } from 'vitest';
import { sampleReport } from '../report/sample-report.ts';
import type { ScenarioReport } from '../report/report-model.ts';
import { compareMatrixRuns, formatComparison, whereTimeWent } from './matrix-compare.ts';

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
  expect(c.flips).toEqual([{ id: broken?.id, run: 'parallel', iteration: 1, changes: [
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

test('repeats: each run of a scenario, at either parallelism, is held to its first run at parallel 1', () => {
  const [first] = serial.scenarios as ScenarioReport[];
  const one = first as ScenarioReport;
  const again = (iteration: number, verdict: 'pass' | 'fail'): ScenarioReport => ({
    ...one, iteration, models: { strict: { ...one.models!.strict, verdict }, retrying: one.models!.retrying },
  });
  const runOf = (...scenarios: ScenarioReport[]) => ({ durationMs: 1, scenarios });
  const c = compareMatrixRuns(runOf(again(1, 'pass'), again(2, 'fail'), again(3, 'pass')), runOf(again(1, 'pass'), again(2, 'pass'), again(3, 'pass')));
  expect(c.flips.map((f) => [f.run, f.iteration, f.changes[0]?.split(':')[0]])).toEqual([['serial', 2, 'strict']]);
  expect(c.unpaired).toEqual([]);
  expect(compareMatrixRuns(runOf(again(1, 'pass'), again(2, 'pass')), runOf(again(1, 'pass'), again(2, 'pass'))).flips).toEqual([]);
});

test('where the time went: phases summed over scenarios, and the worst stall of the harness', () => {
  const [first] = serial.scenarios as ScenarioReport[];
  const one = { ...(first as ScenarioReport), phasesMs: { deploy: 2_000, rollout: 10_400 }, harness: { maxEventLoopDelayMs: 140, p99EventLoopDelayMs: 20, cpuUserMs: 1, cpuSystemMs: 1, wallMs: 1 } };
  expect(whereTimeWent({ scenarios: [one, { ...one, harness: undefined }] })).toBe('deploy 4 s · reachable 0 s · warm-up 0 s · rollout 21 s · after-settle 0 s · collect 0 s · release 0 s · harness max event-loop delay 140 ms');
});
