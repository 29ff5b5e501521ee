// `drainspec run`: open the target, run the matrix, write the reports. The run guard (run-guard.ts) makes signals
// stop it within 10 s with its namespaces, cordons and created cluster removed, and a reaper cover a SIGKILL.
import { readFileSync } from 'node:fs';
import type { DrainspecConfig } from '../config/defaults.ts';
import { sweepRunNamespaces } from '../k8s/namespace.ts';
import { prepareUserApp, readManifests } from '../k8s/user-manifests.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { compareRepeats, summarize } from '../report/build-report.ts';
import { REPORT_SCHEMA_VERSION, type RunReport, type ScenarioReport } from '../report/report-model.ts';
import { reportPaths, writeReport } from '../report/write-report.ts';
import { runMatrix } from '../run/run-matrix.ts';
import { appRolloutSettings } from '../run/app-settings.ts';
import { newRunId } from '../run/run-id.ts';
import { openTarget, plannedScenarios, type Target } from '../run/target.ts';
import { startRunGuard } from './run-guard.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function buildReport(config: DrainspecConfig, runId: string, target: Target, startedAt: number, scenarios: ScenarioReport[]): RunReport {
  const { rollout, load } = config;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'drainspec', version },
    runId,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt,
    environment: target.environment,
    settings: {
      replicas: rollout.replicas, ...appRolloutSettings(config), connections: load.connections, requestsPerSecond: load.requestsPerSecond,
      requestTimeoutMs: load.requestTimeoutMs, thresholds: config.thresholds, image: target.image,
    },
    summary: summarize(scenarios),
    repeat: config.repeat > 1 ? compareRepeats(scenarios) : undefined,
    scenarios,
  };
}

/** Returns true when every verdict matched its expectation. */
export async function runCommand(config: DrainspecConfig, progress: ProgressSink): Promise<boolean> {
  const runId = newRunId();
  const startedAt = Date.now();
  // Plan before touching anything: a bad --scenario or unusable --manifests fails here with nothing created.
  plannedScenarios(config, config.provider === 'kind' && !config.app.image);
  if (config.app.manifests) prepareUserApp(readManifests(config.app.manifests), 'drainspec-check', 30080, 1);
  const paths = reportPaths(config.reportDir, runId);
  await using guard = await startRunGuard({ runId, config, progress });
  await using target = await openTarget(config, progress, { runId, signal: guard.signal });
  await guard.targetOpened(target);
  const { scenarios, skipped } = plannedScenarios(config, target.alternateImage !== '');
  if (skipped.length > 0) progress.line(`skipped on this target: ${skipped.join(', ')}`);
  progress.line(`run ${runId}: ${scenarios.length} scenarios × ${config.repeat} on ${target.environment.context} (Kubernetes ${target.environment.kubernetesVersion})`);
  let reports: ScenarioReport[] = [];
  try {
    reports = await runMatrix({ config, runId, scenarios, target, reportDir: paths.dir, progress, signal: guard.signal });
  } finally {
    // Whatever happened, no namespace of this run outlives it (a kept cluster keeps the cluster, not the namespaces).
    await sweepRunNamespaces(target.clients, runId).catch((error: unknown) => progress.line(`cleanup: ${(error as Error).message}`));
  }
  const report = buildReport(config, runId, target, startedAt, reports);
  writeReport(report, paths);
  const { summary } = report;
  progress.line(`${summary.matched}/${summary.scenarios} verdicts as expected (${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test)${report.repeat ? `; repeats ${report.repeat.identical ? 'identical' : 'differ'}` : ''}`);
  progress.line(`report: ${paths.html}`);
  return summary.mismatched === 0;
}
