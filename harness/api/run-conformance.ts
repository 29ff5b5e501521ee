// runConformance: the one way to run drainspec — what `drainspec run`, the vitest entry and a user's script call.
// Open the target, run the matrix, write the reports, return report.json's object. The run guard (run-guard.ts)
// makes signals stop it within 10 s with its namespaces, cordons and created cluster removed, and a reaper cover a
// SIGKILL.
import { startRunGuard } from '../lifecycle/run-guard.ts';
import type { DrainspecConfig } from '../config/defaults.ts';
import type { UserConfig } from '../config/define-config.ts';
import { loadConfig } from '../config/load-config.ts';
import { sweepRunNamespaces } from '../k8s/namespace.ts';
import { prepareUserApp, readManifests } from '../k8s/user-manifests.ts';
import { PACKAGE_VERSION } from '../package-files.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { compareRepeats, summarize } from '../report/build-report.ts';
import { REPORT_SCHEMA_VERSION, type RunReport, type ScenarioReport } from '../report/report-model.ts';
import { reportPaths, writeReport, type ReportPaths } from '../report/write-report.ts';
import { appRolloutSettings } from '../run/app-settings.ts';
import { runMatrix } from '../run/run-matrix.ts';
import { newRunId } from '../run/run-id.ts';
import { openTarget, plannedScenarios, type Target } from '../run/target.ts';

export interface RunConformanceOptions {
  /** The config file: a path, or false for none. Default: drainspec.config.{ts,mts,js,mjs} in the working directory, when present. */
  configFile?: string | false;
  /** Where progress goes (stage lines, the summary, the report's path); default: nowhere. */
  progress?: ProgressSink;
  /** Aborting it stops the run like Ctrl-C does: what the run made is removed before the promise rejects. */
  signal?: AbortSignal;
  /** Let SIGINT/SIGTERM/SIGHUP stop the run and exit the process (the CLI); default false for library use. */
  handleProcessSignals?: boolean;
}

const SILENT: ProgressSink = { stage: () => () => undefined, update: () => undefined, line: () => undefined };

function buildReport(config: DrainspecConfig, runId: string, target: Target, startedAt: number, scenarios: ScenarioReport[]): RunReport {
  const { rollout, load } = config;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'drainspec', version: PACKAGE_VERSION },
    runId,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt,
    environment: target.environment,
    settings: {
      replicas: rollout.replicas, ...appRolloutSettings(config), connections: load.connections, requestsPerSecond: load.requestsPerSecond,
      requestTimeoutMs: load.requestTimeoutMs, thresholds: config.thresholds, image: target.image, parallel: config.parallel,
    },
    summary: summarize(scenarios),
    repeat: config.repeat > 1 ? compareRepeats(scenarios) : undefined,
    scenarios,
  };
}

/** A run with a resolved config: the report and where it was written. */
export async function runResolved(config: DrainspecConfig, options: Omit<RunConformanceOptions, 'configFile'> = {}): Promise<{ report: RunReport; paths: ReportPaths }> {
  const progress = options.progress ?? SILENT;
  const runId = newRunId();
  const startedAt = Date.now();
  // Plan before touching anything: a bad --scenario or unusable --manifests fails here with nothing created.
  plannedScenarios(config, config.provider === 'kind' && !config.app.image);
  if (config.app.manifests) prepareUserApp(readManifests(config.app.manifests), 'drainspec-check', 30080, 1);
  const paths = reportPaths(config.reportDir, runId);
  await using guard = await startRunGuard({ runId, config, progress, handleProcessSignals: options.handleProcessSignals ?? false });
  const signal = options.signal ? AbortSignal.any([guard.signal, options.signal]) : guard.signal;
  await using target = await openTarget(config, progress, { runId, signal });
  await guard.targetOpened(target);
  const { scenarios, skipped } = plannedScenarios(config, target.alternateImage !== '');
  if (skipped.length > 0) progress.line(`skipped on this target: ${skipped.join(', ')}`);
  progress.line(`run ${runId}: ${scenarios.length} scenarios × ${config.repeat}${config.parallel > 1 ? `, up to ${config.parallel} at once` : ''} on ${target.environment.context} (Kubernetes ${target.environment.kubernetesVersion})`);
  let reports: ScenarioReport[] = [];
  try {
    reports = await runMatrix({ config, runId, scenarios, target, reportDir: paths.dir, progress, signal });
  } finally {
    // Whatever happened, no namespace of this run outlives it (a kept cluster keeps the cluster, not the namespaces).
    await sweepRunNamespaces(target.clients, runId).catch((error: unknown) => progress.line(`cleanup: ${(error as Error).message}`));
  }
  const report = buildReport(config, runId, target, startedAt, reports);
  writeReport(report, paths);
  const { summary } = report;
  progress.line(`${summary.matched}/${summary.scenarios} verdicts as expected (${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test)${report.repeat ? `; repeats ${report.repeat.identical ? 'identical' : 'differ'}` : ''}`);
  progress.line(`report: ${paths.html}`);
  return { report, paths };
}

/**
 * Runs the scenarios and returns the report (report.json's object; also written under `reportDir`). `config` is the
 * top layer: defaults < the config file < DRAINSPEC_* env < `config`. Resolves whatever the verdicts; a run that could
 * not test (no cluster, a bad option) rejects with a one-line error.
 */
export async function runConformance(config: UserConfig = {}, options: RunConformanceOptions = {}): Promise<RunReport> {
  const resolved = await loadConfig(config, options.configFile);
  return (await runResolved(resolved, options)).report;
}
