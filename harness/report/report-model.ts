// report.json, schema version 1: everything a reader (or a later tool) needs, with no credentials in it.
// Raw per-request records stay beside it as scenarios/<n>-requests.ndjson; report.json keeps failed requests,
// 100 ms outcome buckets, pod swimlanes and the analysis.
import type { Coverage, Finding, ModelVerdict, ScenarioAnalysis, Verdict } from '../analysis/evaluate.ts';
import type { FailureClass } from '../analysis/failure-modes.ts';
import type { ClusterEnvironment } from '../model/environment.ts';
import type { AgentRun, ClientModel, HarnessHealth, LifecycleEvent, PodEvent, ProxyError, RequestRecord, ScenarioPhases, Via } from '../model/run-data.ts';
import type { ExpectedOutcome } from '../scenarios/catalogue.ts';

export const REPORT_SCHEMA_VERSION = 1;
export const BUCKET_MS = 100;

export type ReportEnvironment = ClusterEnvironment;

/** Request outcomes in one 100 ms slot (by start time). */
export interface OutcomeBucket {
  /** Offset from the scenario start, ms. */
  atMs: number;
  ok: number;
  failed: Partial<Record<FailureClass, number>>;
}

export interface PodLane {
  pod: string;
  /** Events on this pod, both the cluster's and the app's own, sorted by time. */
  marks: { atMs: number; label: string; kind: PodEvent['kind'] | LifecycleEvent['event'] | 'last-served' }[];
  exitCode?: number;
}

/** One client model's verdict on the scenario, and whether it is what the catalogue expected for that model. */
export interface ModelReport extends ModelVerdict {
  expected: ExpectedOutcome;
  matched: boolean;
  mismatchReason?: string;
}

export interface ScenarioReport {
  id: string;
  app: string;
  trigger: string;
  load: string;
  /** The path the load took (absent in reports from before the ingress path: `service`). */
  via?: Via;
  /** Through the ingress: which proxy, how many requests its access log showed, and the errors it made itself (first 200). */
  proxy?: { name: string; lines: number; errors: ProxyError[]; errorCount: number } | { unavailable: string };
  /** With load from inside the cluster: each agent, where it ran, what it sent, its clock offset. */
  agents?: AgentRun[];
  /** 'back-to-back': the scenario's connections were not rate-paced. */
  pacing?: 'back-to-back';
  iteration: number;
  /** The deciding client model's expectation, verdict and match (the other model is in `models`). */
  expected: ExpectedOutcome;
  verdict: Verdict;
  decidingModel: ClientModel;
  /** Both client models, judged from the same run (absent when the scenario could not be tested). */
  models?: Record<ClientModel, ModelReport>;
  /** Whether load reached the terminating pods after their deletion, and how that is known. */
  coverage?: Coverage;
  /** Whether the verdict is what the catalogue expected (a negative control must fail with its class). */
  matched: boolean;
  mismatchReason?: string;
  /** Why the scenario could not be tested (verdict 'error'). */
  error?: string;
  /** Set when the load client itself stalled past the limit: why every model's verdict is error. */
  starved?: string;
  /** The load client's own event-loop delay and CPU over the load (absent in older reports). */
  harness?: HarnessHealth;
  durationMs: number;
  /** Where durationMs went, step by step (absent when the scenario could not be tested). */
  phasesMs?: ScenarioPhases;
  primaryClass?: FailureClass;
  failures: ScenarioAnalysis['failures'];
  findings: Finding[];
  totals?: ScenarioAnalysis['totals'];
  streams?: ScenarioAnalysis['streams'];
  drain?: ScenarioAnalysis['drain'];
  timeline?: {
    startMs: number;
    triggerAtMs: number;
    endMs: number;
    bucketMs: number;
    buckets: OutcomeBucket[];
    pods: PodLane[];
    failedRequests: RequestRecord[];
    /** Where every request record of this scenario is, relative to report.json. */
    requestsFile: string;
  };
}

export interface RepeatComparison {
  iterations: number;
  identical: boolean;
  /** Scenario ids whose verdict (pass / fail / error) differed between iterations, with what each iteration said. */
  differences: { id: string; verdicts: string[] }[];
  /** Same verdict every time, but the strongest failure class changed (e.g. a race one time, a SIGKILL the next). */
  classVariations: { id: string; verdicts: string[] }[];
}

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'drainspec'; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  environment: ReportEnvironment;
  settings: {
    replicas: number;
    terminationGracePeriodSeconds: number;
    /** The sample app's drain delay and preStop sleep; absent when your app is under test. */
    drainDelayMs?: number;
    preStopSleepSeconds?: number;
    /** The app under test's own rollout settings, in one line (whose they are, grace, preStop, strategy). */
    appRollout?: string;
    connections: number;
    requestsPerSecond: number;
    requestTimeoutMs: number;
    thresholds: { maxFailedRequests: number; maxDrainMs: number };
    image: string;
    /** Scenarios run at once (absent in older reports: 1). */
    parallel?: number;
  };
  summary: { scenarios: number; passed: number; failed: number; errors: number; matched: number; mismatched: number };
  repeat?: RepeatComparison;
  scenarios: ScenarioReport[];
}
