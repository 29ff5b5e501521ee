// `drainspec/vitest`: "survives a rollout" as a test in your own suite. Works in any runner that fails a test on a
// thrown error (the message carries each mismatch's class, evidence and fix); vitest is not imported.
import { runResolved, type RunConformanceOptions } from './api/run-conformance.ts';
import type { UserConfig } from './config/define-config.ts';
import { loadConfig } from './config/load-config.ts';
import { createProgress } from './progress/progress.ts';
import type { RunReport } from './report/report-model.ts';
import { renderMismatchText } from './report/text.ts';

/** Plain progress lines on stderr (never the live TTY line, which would fight the runner's own output). */
const stderrLines = () => createProgress({ out: { write: (text: string) => process.stderr.write(text) } as NodeJS.WritableStream });

export class RolloutConformanceError extends Error {
  readonly report: RunReport;
  constructor(message: string, report: RunReport) {
    super(message);
    this.name = 'RolloutConformanceError';
    this.report = report;
  }
}

/**
 * Runs drainspec (like runConformance) and throws a RolloutConformanceError when any scenario's verdict is not
 * as expected; resolves to the report otherwise. Give the test a timeout of minutes: a rollout matrix takes them.
 */
export async function expectSurvivesRollout(config: UserConfig = {}, options: RunConformanceOptions = {}): Promise<RunReport> {
  const resolved = await loadConfig(config, options.configFile);
  const { report, paths } = await runResolved(resolved, { ...options, progress: options.progress ?? stderrLines() });
  const message = renderMismatchText(report, paths.html);
  if (message) throw new RolloutConformanceError(message, report);
  return report;
}
