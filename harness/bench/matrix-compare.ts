// Two runs of the same matrix (each possibly repeated) side by side: the wall-time ratio, every scenario run whose
// verdict or strongest class differs from the first at parallel 1, per client model, and where the time went
// (pure; bench:matrix prints it).
import { CLIENT_MODELS, SCENARIO_PHASES } from '../model/run-data.ts';
import type { RunReport, ScenarioReport } from '../report/report-model.ts';

export interface VerdictFlip {
  id: string;
  /** Which run it happened in: `serial` (parallel 1, a later repeat) or `parallel`. */
  run: 'serial' | 'parallel';
  iteration: number;
  /** `strict: fail:keepalive-race → error (the harness was starved: …)`, one per model that changed. */
  changes: string[];
}

export interface MatrixComparison {
  /** Wall time of the run at parallel K over the one at parallel 1. */
  wallRatio: number;
  flips: VerdictFlip[];
  /** Scenarios of either run the other lacks (a run stopped early). */
  unpaired: string[];
}

/** `fail:keepalive-race`, `pass` or `error`: what a model said, strongest class included (what a flip compares). */
export function saidBy(s: ScenarioReport, model: (typeof CLIENT_MODELS)[number]): string {
  const verdict = s.models?.[model]?.verdict ?? 'error';
  return verdict === 'fail' ? `fail:${s.models?.[model]?.primaryClass ?? '?'}` : verdict;
}

/** The same, with an error's reason, for the output. */
const shownBy = (s: ScenarioReport, model: (typeof CLIENT_MODELS)[number]): string => (saidBy(s, model) === 'error' ? `error (${s.error ?? 'could not test'})` : saidBy(s, model));

type MatrixRun = Pick<RunReport, 'durationMs' | 'scenarios'>;

/** Every scenario of both runs against the same scenario's first run at parallel 1 (repeats included). */
export function compareMatrixRuns(serial: MatrixRun, parallel: MatrixRun): MatrixComparison {
  const key = (s: ScenarioReport) => `${s.id} #${s.iteration}`;
  const reference = new Map<string, ScenarioReport>();
  for (const s of serial.scenarios) if ((reference.get(s.id)?.iteration ?? Infinity) > s.iteration) reference.set(s.id, s);
  const flips: VerdictFlip[] = [];
  for (const [run, report] of [['serial', serial], ['parallel', parallel]] as const) {
    for (const s of report.scenarios) {
      const first = reference.get(s.id);
      if (!first || first === s) continue;
      const changes = CLIENT_MODELS.filter((model) => saidBy(first, model) !== saidBy(s, model)).map((model) => `${model}: ${shownBy(first, model)} → ${shownBy(s, model)}`);
      if (changes.length > 0) flips.push({ id: s.id, run, iteration: s.iteration, changes });
    }
  }
  const inSerial = new Set(serial.scenarios.map(key));
  const inParallel = new Set(parallel.scenarios.map(key));
  const unpaired = [...[...inSerial].filter((k) => !inParallel.has(k)), ...[...inParallel].filter((k) => !inSerial.has(k))];
  return { wallRatio: Math.round((parallel.durationMs / serial.durationMs) * 1000) / 1000, flips, unpaired };
}

/** `deploy 41 s · reachable 9 s · …`: each phase summed over the run's scenarios, and the harness's worst stall. */
export function whereTimeWent(run: Pick<RunReport, 'scenarios'>): string {
  const seconds = (phase: (typeof SCENARIO_PHASES)[number]) => run.scenarios.reduce((sum, s) => sum + (s.phasesMs?.[phase] ?? 0), 0) / 1000;
  const stall = Math.max(0, ...run.scenarios.map((s) => s.harness?.maxEventLoopDelayMs ?? 0));
  return `${SCENARIO_PHASES.map((phase) => `${phase} ${seconds(phase).toFixed(0)} s`).join(' · ')} · harness max event-loop delay ${stall.toFixed(0)} ms`;
}

/** The benchmark's output: the figures line last, so scripts can read it. */
export function formatComparison(c: MatrixComparison, parallel: number, serialMs: number, parallelMs: number): string {
  const lines = [
    `parallel 1: ${(serialMs / 1000).toFixed(1)} s · parallel ${parallel}: ${(parallelMs / 1000).toFixed(1)} s`,
    ...c.flips.map((f) => `verdict flip at parallel ${f.run === 'serial' ? 1 : parallel}: ${f.id} #${f.iteration}: ${f.changes.join('; ')}`),
    ...c.unpaired.map((id) => `unpaired (in one run only): ${id}`),
    `verdict_flips=${c.flips.length}`,
    `matrix_wall_ratio=${c.wallRatio}`,
  ];
  return `${lines.join('\n')}\n`;
}
