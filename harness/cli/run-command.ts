// `drainspec run`: a thin shell over runConformance (harness/api/run-conformance.ts) — the exit code from its report.
import type { DrainspecConfig } from '../config/defaults.ts';
import { runResolved } from '../api/run-conformance.ts';
import type { ProgressSink } from '../progress/progress.ts';

/** Returns true when every verdict matched its expectation. */
export async function runCommand(config: DrainspecConfig, progress: ProgressSink): Promise<boolean> {
  const { report } = await runResolved(config, { progress, handleProcessSignals: true });
  return report.summary.mismatched === 0;
}
