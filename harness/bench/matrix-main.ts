// `npm run bench:matrix`: the default matrix (or BENCH_SCENARIOS, comma-separated globs), BENCH_REPEAT times (default
// 1), at --parallel 1 and then at --parallel BENCH_PARALLEL (default: drainspec's default) on the same warm kind
// cluster (kept); then every verdict flip against each scenario's first run at parallel 1, where each run's time
// went (and kube-proxy's syncs meanwhile) and, last, `matrix_wall_ratio=<parallel K wall / parallel 1 wall>`.
// Figures only: no pass/fail. Opt-in and long (the matrix 2 × BENCH_REPEAT times); reports go to reports/bench-matrix/.
import { runConformance } from '../api/run-conformance.ts';
import { createProgress } from '../progress/progress.ts';
import { controlPlaneContainer } from '../cluster/kind-cluster.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { describeSyncs, readKubeProxySyncs } from './kube-proxy-syncs.ts';
import { compareMatrixRuns, formatComparison, whereTimeWent } from './matrix-compare.ts';

const say = (message: string): void => void process.stderr.write(`bench:matrix: ${message}\n`);

async function main(): Promise<number> {
  const parallel = Number(process.env.BENCH_PARALLEL ?? DEFAULT_CONFIG.parallel);
  if (!Number.isInteger(parallel) || parallel < 2 || parallel > 10) throw new Error(`BENCH_PARALLEL must be a whole number in 2..10, got "${process.env.BENCH_PARALLEL ?? DEFAULT_CONFIG.parallel}"`);
  const repeat = Number(process.env.BENCH_REPEAT ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new Error(`BENCH_REPEAT must be a whole number in 1..20, got "${process.env.BENCH_REPEAT}"`);
  const scenarios = process.env.BENCH_SCENARIOS?.split(',').filter(Boolean) ?? [];
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted')));
  const base = { scenarios, repeat, cluster: { keep: true }, reportDir: 'reports/bench-matrix' };
  const node = controlPlaneContainer(DEFAULT_CONFIG.cluster.name);
  const runAt = async (n: number) => {
    say(`parallel ${n}: ${scenarios.length > 0 ? scenarios.join(',') : 'the default matrix'}${repeat > 1 ? ` × ${repeat}` : ''}`);
    const before = await readKubeProxySyncs(node);
    const report = await runConformance({ ...base, parallel: n }, { configFile: false, progress: createProgress(), signal: stop.signal });
    return { report, syncs: describeSyncs(before, await readKubeProxySyncs(node)) };
  };
  // Serial first: it also warms the cluster (images loaded, app pods' image cached) for the parallel run.
  const serial = await runAt(1);
  const concurrent = await runAt(parallel);
  for (const [n, run] of [[1, serial], [parallel, concurrent]] as const) process.stdout.write(`parallel ${n}: ${whereTimeWent(run.report)} · ${run.syncs}\n`);
  process.stdout.write(formatComparison(compareMatrixRuns(serial.report, concurrent.report), parallel, serial.report.durationMs, concurrent.report.durationMs));
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench:matrix: ${(error as Error).message}\n`);
  process.exit(1);
});
