// `npm run bench:matrix`: the default matrix (or BENCH_SCENARIOS, comma-separated globs) once at --parallel 1 and
// once at --parallel BENCH_PARALLEL (default 3) on the same warm kind cluster (kept), then the verdict flips between
// the two and, last, `matrix_wall_ratio=<parallel K wall / parallel 1 wall>`. Figures only: no pass/fail.
// Opt-in and long (the whole matrix twice); reports go to reports/bench-matrix/.
import { runConformance } from '../api/run-conformance.ts';
import { createProgress } from '../progress/progress.ts';
import { compareMatrixRuns, formatComparison } from './matrix-compare.ts';

const say = (message: string): void => void process.stderr.write(`bench:matrix: ${message}\n`);

async function main(): Promise<number> {
  const parallel = Number(process.env.BENCH_PARALLEL ?? '3');
  if (!Number.isInteger(parallel) || parallel < 2 || parallel > 10) throw new Error(`BENCH_PARALLEL must be a whole number in 2..10, got "${process.env.BENCH_PARALLEL}"`);
  const scenarios = process.env.BENCH_SCENARIOS?.split(',').filter(Boolean) ?? [];
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted')));
  const base = { scenarios, cluster: { keep: true }, reportDir: 'reports/bench-matrix' };
  const runAt = async (n: number) => {
    say(`parallel ${n}: ${scenarios.length > 0 ? scenarios.join(',') : 'the default matrix'}`);
    return runConformance({ ...base, parallel: n }, { configFile: false, progress: createProgress(), signal: stop.signal });
  };
  // Serial first: it also warms the cluster (images loaded, app pods' image cached) for the parallel run.
  const serial = await runAt(1);
  const concurrent = await runAt(parallel);
  process.stdout.write(formatComparison(compareMatrixRuns(serial, concurrent), parallel, serial.durationMs, concurrent.durationMs));
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench:matrix: ${(error as Error).message}\n`);
  process.exit(1);
});
