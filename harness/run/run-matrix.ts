// Runs the planned scenarios (× repeat) one after another on a target and turns each into a ScenarioReport.
// A scenario that cannot be tested becomes verdict `error` with its reason; Ctrl-C (the signal) ends the loop.
import { requestClassifier, routingLagFor } from '../analysis/classify.ts';
import { evaluateTimeline } from '../analysis/evaluate.ts';
import type { DrainspecConfig } from '../config/defaults.ts';
import { apiErrorReason } from '../k8s/client.ts';
import { onFreeNodePort } from '../k8s/node-ports.ts';
import { totalsOf } from '../load/accounted-load.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { scenarioReport } from '../report/build-report.ts';
import type { ModelReport, ScenarioReport } from '../report/report-model.ts';
import { openRequestRecords } from '../report/write-report.ts';
import type { Scenario } from '../scenarios/catalogue.ts';
import { runScenario } from './run-scenario.ts';
import type { Target } from './target.ts';

export interface MatrixOptions {
  config: DrainspecConfig;
  runId: string;
  scenarios: readonly Scenario[];
  target: Target;
  reportDir: string;
  progress: ProgressSink;
  signal: AbortSignal;
  /** Added to each scenario's index (namespace, NodePort, file names) when scenarios are run one call at a time. */
  indexOffset?: number;
}

/** One line for a scenario that could not be tested: API errors by their reason, others by their message. */
export function couldNotTestReason(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown; message?: string };
  return (typeof e.code === 'number' || e.body !== undefined ? apiErrorReason(error) : e.message ?? String(error)).split('\n')[0] as string;
}

/** `strict: fail (keepalive-race, 12 failed) · retrying: pass (7 absorbed) · coverage: …` */
export function verdictLine(report: ScenarioReport): string {
  if (report.verdict === 'error' || !report.models) return `error: ${report.error ?? 'could not test'}`;
  const said = (model: ModelReport) => (model.verdict === 'fail' ? `fail (${model.primaryClass ?? '?'}, ${model.failures.total} failed)`
    : model.verdict === 'pass' ? `pass${model.absorbedRetries ? ` (${model.absorbedRetries} absorbed)` : ''}` : 'error');
  const coverage = report.coverage?.exercised === undefined ? ` · ${report.coverage?.note ?? 'coverage unknown'}` : '';
  return `${report.totals?.sent ?? 0} requests · strict: ${said(report.models.strict)} · retrying: ${said(report.models.retrying)}${coverage}`;
}

export async function runMatrix(options: MatrixOptions): Promise<ScenarioReport[]> {
  const { config, scenarios, target, progress, signal } = options;
  const reports: ScenarioReport[] = [];
  // NodePorts the API refused as allocated though no Service held them, kept for the run (see onFreeNodePort).
  const refusedNodePorts = new Set<number>();
  for (let iteration = 1; iteration <= config.repeat; iteration++) {
    for (const [i, scenario] of scenarios.entries()) {
      signal.throwIfAborted();
      const index = (options.indexOffset ?? 0) + (iteration - 1) * scenarios.length + i;
      const position = (iteration - 1) * scenarios.length + i + 1;
      const label = `${scenario.id}${config.repeat > 1 ? ` #${iteration}` : ''} (${position}/${scenarios.length * config.repeat})`;
      const end = progress.stage(label);
      const startedAt = Date.now();
      let report: ScenarioReport;
      const records = openRequestRecords(options.reportDir, String(index));
      try {
        // The NodePort is chosen now, among those no Service holds (again if another run took it first): runs
        // sharing the cluster take turns.
        const timeline = await onFreeNodePort(target.clients, target.nodePorts, index, (nodePort) => runScenario({
          clients: target.clients, config, runId: options.runId, image: target.image, alternateImage: target.alternateImage,
          imagePullPolicy: target.imagePullPolicy, nodePortFor: () => nodePort,
          ownsCluster: target.ownsCluster, progress, signal, onRecord: (record) => records.write(record),
          clockOffsetMs: target.environment.clockOffsetMs ?? 0, routingLagMs: routingLagFor(target.environment.minSyncPeriod), nodeContainer: target.nodeContainer, ingressImage: target.ingressImage, agentImage: target.agentImage,
        }, scenario, index), refusedNodePorts);
        const totals = totalsOf(timeline.requests, timeline.served);
        const analysis = evaluateTimeline(timeline, totals, config.thresholds, config.clients);
        report = scenarioReport({ scenario, decidingModel: config.clients, iteration, durationMs: Date.now() - startedAt, measured: { timeline, analysis, classifier: requestClassifier(timeline), requestsFile: records.relativePath } });
      } catch (error) {
        if (signal.aborted) throw error;
        report = scenarioReport({ scenario, decidingModel: config.clients, iteration, durationMs: Date.now() - startedAt, error: couldNotTestReason(error) });
      } finally {
        await records.close();
      }
      reports.push(report);
      end(report.matched ? 'ok' : 'failed');
      progress.line(`${report.matched ? '✓' : '✗'} ${label}: ${verdictLine(report)}${report.matched ? '' : ` — ${report.mismatchReason}`}`);
    }
  }
  return reports;
}
