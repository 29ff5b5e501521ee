// Two runs of the same matrix side by side: the wall-time ratio and every scenario whose verdict or strongest class
// changed, per client model (pure; bench:matrix prints it).
import { CLIENT_MODELS } from '../model/run-data.ts';
import type { RunReport, ScenarioReport } from '../report/report-model.ts';

export interface VerdictFlip {
  id: string;
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

export function compareMatrixRuns(serial: Pick<RunReport, 'durationMs' | 'scenarios'>, parallel: Pick<RunReport, 'durationMs' | 'scenarios'>): MatrixComparison {
  const key = (s: ScenarioReport) => `${s.id} #${s.iteration}`;
  const inParallel = new Map(parallel.scenarios.map((s) => [key(s), s]));
  const flips: VerdictFlip[] = [];
  const unpaired: string[] = [];
  for (const one of serial.scenarios) {
    const other = inParallel.get(key(one));
    inParallel.delete(key(one));
    if (!other) {
      unpaired.push(key(one));
      continue;
    }
    const changes = CLIENT_MODELS.filter((model) => saidBy(one, model) !== saidBy(other, model)).map((model) => `${model}: ${shownBy(one, model)} → ${shownBy(other, model)}`);
    if (changes.length > 0) flips.push({ id: one.id, iteration: one.iteration, changes });
  }
  unpaired.push(...inParallel.keys());
  return { wallRatio: Math.round((parallel.durationMs / serial.durationMs) * 1000) / 1000, flips, unpaired };
}

/** The benchmark's output: the figures line last, so scripts can read it. */
export function formatComparison(c: MatrixComparison, parallel: number, serialMs: number, parallelMs: number): string {
  const lines = [
    `parallel 1: ${(serialMs / 1000).toFixed(1)} s · parallel ${parallel}: ${(parallelMs / 1000).toFixed(1)} s`,
    ...c.flips.map((f) => `verdict flip ${f.id}${f.iteration > 1 ? ` #${f.iteration}` : ''}: ${f.changes.join('; ')}`),
    ...c.unpaired.map((id) => `unpaired (in one run only): ${id}`),
    `verdict_flips=${c.flips.length}`,
    `matrix_wall_ratio=${c.wallRatio}`,
  ];
  return `${lines.join('\n')}\n`;
}
