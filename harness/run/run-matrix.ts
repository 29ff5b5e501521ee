// Runs the planned scenarios (× repeat) on a target, up to config.parallel at once (node drains alone), and turns
// each into a ScenarioReport, in the planned order. A scenario that cannot be tested becomes verdict `error` with its
// reason; Ctrl-C (the signal) ends every running scenario and the run.
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

interface PlannedScenario {
  scenario: Scenario;
  iteration: number;
  /** Namespace, NodePort turn and file names. */
  index: number;
  label: string;
}

/** Scenarios that touch what every scenario shares: a node drain cordons a node, so it runs with nothing beside it. */
export const runsAlone = (scenario: Scenario): boolean => scenario.trigger === 'node-drain';

/**
 * Runs `tasks` up to `parallel` at once; a task for which `alone` holds runs by itself. At parallel 1 they run in
 * order; above it the lone tasks go first (while nothing else runs yet, so the run gives up its concurrency once),
 * then the others in order. Results come back in the tasks' order. A task that rejects stops new starts; the others
 * are waited for before the first rejection is rethrown (they end promptly when the run's signal aborts).
 */
export async function runScheduled<T, R>(tasks: readonly T[], parallel: number, alone: (task: T) => boolean, run: (task: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(tasks.length);
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const start = (task: T, i: number) => {
    const done: Promise<void> = run(task).then((result) => {
      results[i] = result;
    }, (error: unknown) => {
      failure ??= { error };
    }).finally(() => running.delete(done));
    running.add(done);
  };
  const planned = [...tasks.entries()];
  const order = parallel > 1 ? [...planned.filter(([, t]) => alone(t)), ...planned.filter(([, t]) => !alone(t))] : planned;
  for (const [i, task] of order) {
    const limit = alone(task) ? 1 : Math.max(1, parallel);
    while (!failure && running.size >= limit) await Promise.race(running);
    if (failure) break;
    start(task, i);
    if (alone(task)) await Promise.all(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
  return results;
}

export async function runMatrix(options: MatrixOptions): Promise<ScenarioReport[]> {
  const { config, scenarios, target, progress, signal } = options;
  // NodePorts the API refused as allocated though no Service held them, kept for the run (see onFreeNodePort).
  const refusedNodePorts = new Set<number>();
  // NodePorts this run's running scenarios hold: concurrent scenarios never pick the same one.
  const claimedNodePorts = new Set<number>();
  const total = scenarios.length * config.repeat;
  const plan: PlannedScenario[] = [];
  for (let iteration = 1; iteration <= config.repeat; iteration++) {
    for (const [i, scenario] of scenarios.entries()) {
      const position = (iteration - 1) * scenarios.length + i + 1;
      plan.push({ scenario, iteration, index: (options.indexOffset ?? 0) + position - 1, label: `${scenario.id}${config.repeat > 1 ? ` #${iteration}` : ''} (${position}/${total})` });
    }
  }
  const runOne = async ({ scenario, iteration, index, label }: PlannedScenario): Promise<ScenarioReport> => {
    signal.throwIfAborted();
    const end = progress.stage(label);
    // Its live details name its stage, so concurrent scenarios' lines are not put under another's name.
    const sink: ProgressSink = { stage: (name) => progress.stage(name), update: (detail) => progress.update(detail, label), line: (text) => progress.line(text) };
    const startedAt = Date.now();
    let report: ScenarioReport;
    const records = openRequestRecords(options.reportDir, String(index));
    try {
      // The NodePort is chosen now, among those no Service holds (again if another run took it first): runs
      // sharing the cluster take turns.
      const timeline = await onFreeNodePort(target.clients, target.nodePorts, index, (nodePort) => runScenario({
        clients: target.clients, config, runId: options.runId, image: target.image, alternateImage: target.alternateImage,
        imagePullPolicy: target.imagePullPolicy, nodePortFor: () => nodePort,
        ownsCluster: target.ownsCluster, progress: sink, signal, onRecord: (record) => records.write(record),
        clockOffsetMs: target.environment.clockOffsetMs ?? 0, routingLagMs: routingLagFor(target.environment.minSyncPeriod), nodeContainer: target.nodeContainer, ingressImage: target.ingressImage, agentImage: target.agentImage,
      }, scenario, index), refusedNodePorts, claimedNodePorts);
      const totals = totalsOf(timeline.requests, timeline.served);
      const analysis = evaluateTimeline(timeline, totals, config.thresholds, config.clients);
      report = scenarioReport({ scenario, decidingModel: config.clients, iteration, durationMs: Date.now() - startedAt, measured: { timeline, analysis, classifier: requestClassifier(timeline), requestsFile: records.relativePath } });
    } catch (error) {
      if (signal.aborted) {
        end('failed');
        throw error;
      }
      report = scenarioReport({ scenario, decidingModel: config.clients, iteration, durationMs: Date.now() - startedAt, error: couldNotTestReason(error) });
    } finally {
      await records.close();
    }
    end(report.matched ? 'ok' : 'failed');
    // An error's reason is its mismatch reason too: said once.
    const mismatch = report.matched || report.mismatchReason === report.error ? '' : ` — ${report.mismatchReason}`;
    progress.line(`${report.matched ? '✓' : '✗'} ${label}: ${verdictLine(report)}${mismatch}`);
    return report;
  };
  // At most one scenario per NodePort the run can publish.
  const parallel = Math.min(config.parallel, target.nodePorts.length);
  return runScheduled(plan, parallel, (p) => runsAlone(p.scenario), runOne);
}
