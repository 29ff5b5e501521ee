// Pure builders from run data to the report model: buckets, swimlanes, summary, repeat comparison.
import { checkExpectation, type ScenarioAnalysis } from '../analysis/evaluate.ts';
import type { RequestClassifier } from '../analysis/classify.ts';
import { CLIENT_MODELS, type ClientModel, type Timeline } from '../model/run-data.ts';
import { servedPerBucket } from '../model/served.ts';
import { expectedFor, type Scenario } from '../scenarios/catalogue.ts';
import { BUCKET_MS, type ModelReport, type OutcomeBucket, type PodLane, type RepeatComparison, type RunReport, type ScenarioReport } from './report-model.ts';

export function outcomeBuckets(timeline: Timeline, classifier: RequestClassifier, bucketMs = BUCKET_MS): OutcomeBucket[] {
  const count = Math.max(1, Math.ceil((timeline.endMs - timeline.startMs) / bucketMs));
  const buckets: OutcomeBucket[] = Array.from({ length: count }, (_, i) => ({ atMs: i * bucketMs, ok: 0, failed: {} }));
  const indexOf = (atMs: number) => Math.min(count - 1, Math.max(0, Math.floor((atMs - timeline.startMs) / bucketMs)));
  const { served } = timeline;
  servedPerBucket(served).forEach((n, i) => ((buckets[indexOf(served.originMs + i * served.bucketMs)] as OutcomeBucket).ok += n));
  for (const r of timeline.requests) {
    if (r.outcome !== 'failed') continue;
    const bucket = buckets[indexOf(r.startMs)] as OutcomeBucket;
    const failureClass = classifier.classify(r);
    bucket.failed[failureClass] = (bucket.failed[failureClass] ?? 0) + 1;
  }
  return buckets;
}

const MARK_LABELS: Record<string, string> = {
  created: 'created', ready: 'ready', unready: 'unready', terminating: 'terminating', 'endpoint-not-ready': 'endpoint not ready',
  'endpoint-removed': 'endpoint removed', 'endpoint-not-serving': 'endpoint not serving', 'endpoint-terminating': 'endpoint terminating', terminated: 'exit', deleted: 'deleted', started: 'app started', sigterm: 'SIGTERM',
  'readiness-off': 'readiness off', 'listener-closed': 'listener closed', 'idle-closed': 'idle sockets closed',
  'streams-closed': 'streams closed', drained: 'drained', exit: 'exit', 'last-served': 'last request served',
};

export function podLanes(timeline: Timeline): PodLane[] {
  const lanes = new Map<string, PodLane>();
  const lane = (pod: string) => lanes.get(pod) ?? lanes.set(pod, { pod, marks: [] }).get(pod) as PodLane;
  for (const e of timeline.pods) {
    const l = lane(e.pod);
    const label = e.kind === 'terminated' ? `exit ${e.exitCode ?? '?'}${e.exitCode === 137 ? ' (SIGKILL)' : ''}` : MARK_LABELS[e.kind] ?? e.kind;
    l.marks.push({ atMs: e.atMs - timeline.startMs, label, kind: e.kind });
    if (e.kind === 'terminated') l.exitCode ??= e.exitCode;
  }
  for (const e of timeline.lifecycle) {
    if (e.event === 'ready' || e.event === 'started') continue; // the cluster's own ready mark is what routing used
    const l = lane(e.pod);
    l.marks.push({ atMs: e.atMs - timeline.startMs, label: e.event === 'exit' ? `app exit ${e.code ?? '?'}` : MARK_LABELS[e.event] ?? e.event, kind: e.event });
    if (e.event === 'exit') l.exitCode = e.code;
  }
  const lastServed = Object.entries(timeline.served.pods).filter(([pod]) => pod !== '').map(([pod, p]) => [pod, p.lastEndMs] as const);
  for (const [pod, atMs] of lastServed) lane(pod).marks.push({ atMs: atMs - timeline.startMs, label: MARK_LABELS['last-served'] as string, kind: 'last-served' });
  for (const l of lanes.values()) l.marks.sort((a, b) => a.atMs - b.atMs);
  return [...lanes.values()].sort((a, b) => (a.marks[0]?.atMs ?? 0) - (b.marks[0]?.atMs ?? 0));
}

export interface ScenarioOutcome {
  scenario: Scenario;
  /** The client model that decides the verdict (config `clients`). */
  decidingModel: ClientModel;
  iteration: number;
  durationMs: number;
  /** Present when the scenario was measured. */
  measured?: { timeline: Timeline; analysis: ScenarioAnalysis; classifier: RequestClassifier; requestsFile: string };
  /** Present when it could not be tested. */
  error?: string;
}

/** Proxy errors kept in report.json per scenario (all are counted). */
const MAX_PROXY_ERRORS_SHOWN = 200;

export function scenarioReport(outcome: ScenarioOutcome): ScenarioReport {
  const { scenario, iteration, durationMs, measured, decidingModel } = outcome;
  const expected = expectedFor(scenario, decidingModel);
  const base = { id: scenario.id, app: scenario.app, trigger: scenario.trigger, load: scenario.load, via: scenario.via, ...(scenario.pacing ? { pacing: scenario.pacing } : {}), iteration, expected, decidingModel, durationMs };
  if (!measured) {
    const error = outcome.error ?? 'could not test';
    const check = checkExpectation(expected, 'error', undefined, error);
    return { ...base, verdict: 'error', matched: false, mismatchReason: check.reason, error, failures: { total: 0, byClass: {} }, findings: [] };
  }
  const { timeline, analysis, classifier } = measured;
  const modelReport = (model: ClientModel): ModelReport => {
    const verdict = analysis.models[model];
    const check = checkExpectation(expectedFor(scenario, model), verdict.verdict, { ...verdict, findings: analysis.findings }, analysis.starved ?? analysis.notExercised);
    return { ...verdict, expected: expectedFor(scenario, model), matched: check.matched, ...(check.reason ? { mismatchReason: check.reason } : {}) };
  };
  const models = Object.fromEntries(CLIENT_MODELS.map((m) => [m, modelReport(m)])) as Record<ClientModel, ModelReport>;
  const decided = models[decidingModel];
  return {
    ...base,
    verdict: analysis.verdict,
    models,
    coverage: analysis.coverage,
    ...(timeline.agents ? { agents: timeline.agents } : {}),
    ...(timeline.proxy ? { proxy: timeline.proxy.source === 'access-log'
      ? { name: timeline.proxy.proxy, lines: timeline.proxy.lines, errors: timeline.proxy.errors.slice(0, MAX_PROXY_ERRORS_SHOWN), errorCount: timeline.proxy.errors.length }
      : { unavailable: timeline.proxy.reason } } : {}),
    ...(analysis.couldNotJudge ? { error: analysis.couldNotJudge } : {}),
    ...(analysis.starved ? { starved: analysis.starved } : {}),
    ...(timeline.harness ? { harness: timeline.harness } : {}),
    ...(timeline.phasesMs ? { phasesMs: timeline.phasesMs } : {}),
    matched: decided.matched,
    mismatchReason: decided.mismatchReason,
    primaryClass: analysis.primaryClass,
    failures: analysis.failures,
    findings: analysis.findings,
    totals: analysis.totals,
    streams: analysis.streams,
    drain: analysis.drain,
    timeline: {
      startMs: timeline.startMs,
      triggerAtMs: timeline.triggerAtMs - timeline.startMs,
      endMs: timeline.endMs - timeline.startMs,
      bucketMs: BUCKET_MS,
      buckets: outcomeBuckets(timeline, classifier),
      pods: podLanes(timeline),
      failedRequests: timeline.requests.filter((r) => r.outcome !== 'ok'),
      requestsFile: measured.requestsFile,
    },
  };
}

export function summarize(scenarios: readonly ScenarioReport[]): RunReport['summary'] {
  const count = (predicate: (s: ScenarioReport) => boolean) => scenarios.filter(predicate).length;
  return {
    scenarios: scenarios.length,
    passed: count((s) => s.verdict === 'pass'),
    failed: count((s) => s.verdict === 'fail'),
    errors: count((s) => s.verdict === 'error'),
    matched: count((s) => s.matched),
    mismatched: count((s) => !s.matched),
  };
}

/** Compares verdicts across iterations of the same matrix; a changed primary failure class is noted apart. */
export function compareRepeats(scenarios: readonly ScenarioReport[]): RepeatComparison {
  const byId = new Map<string, ScenarioReport[]>();
  for (const s of scenarios) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  const iterations = Math.max(0, ...scenarios.map((s) => s.iteration));
  const said = (s: ScenarioReport) => (s.verdict === 'fail' ? `fail:${s.primaryClass ?? '?'}` : s.verdict);
  const differences: RepeatComparison['differences'] = [];
  const classVariations: RepeatComparison['classVariations'] = [];
  for (const [id, runs] of byId) {
    const entry = { id, verdicts: runs.map(said) };
    if (new Set(runs.map((r) => r.verdict)).size > 1) differences.push(entry);
    else if (new Set(entry.verdicts).size > 1) classVariations.push(entry);
  }
  return { iterations, identical: differences.length === 0, differences, classVariations };
}
