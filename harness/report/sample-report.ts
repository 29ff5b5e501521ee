// A small but complete RunReport built from synthetic timelines through the real builders, for renderer tests
// and the headless-browser check (no cluster involved; the numbers are made up, the code paths are not).
import { requestClassifier } from '../analysis/classify.ts';
import { evaluateTimeline } from '../analysis/evaluate.ts';
import { totalsOf } from '../load/accounted-load.ts';
import type { RequestRecord, Timeline } from '../model/run-data.ts';
import { aggregateServed } from '../model/served.ts';
import { DEFAULT_MATRIX, type Scenario } from '../scenarios/catalogue.ts';
import { compareRepeats, scenarioReport, summarize, type ScenarioOutcome } from './build-report.ts';
import { REPORT_SCHEMA_VERSION, type RunReport } from './report-model.ts';

const START = 1_764_000_000_000;

function syntheticTimeline(brokenListener: boolean): Timeline {
  const trigger = START + 4_000;
  const requests: RequestRecord[] = [];
  for (let i = 0; i < 400; i++) {
    const startMs = START + i * 25;
    const refused = brokenListener && startMs > trigger + 200 && startMs < trigger + 900 && i % 3 === 0;
    const pod = startMs < trigger + 300 ? (i % 2 ? 'app-old-a' : 'app-old-b') : 'app-new-c';
    requests.push(refused
      ? { seq: i, client: 'fresh', path: '/', startMs, endMs: startMs + 2, outcome: 'failed', bytes: 0, reusedSocket: false, errorCode: 'ECONNREFUSED', errorDetail: 'connect ECONNREFUSED 127.0.0.1:30080' }
      : { seq: i, client: 'fresh', path: '/', startMs, endMs: startMs + 4, outcome: 'ok', status: 200, bytes: 40, reusedSocket: false, pod });
  }
  return {
    triggerAtMs: trigger, startMs: START, endMs: START + 10_000, gracePeriodSeconds: 15,
    requests: requests.filter((r) => r.outcome !== 'ok'), served: aggregateServed(requests, START), streams: [],
    pods: [
      { pod: 'app-old-a', kind: 'created', atMs: START - 5_000 }, { pod: 'app-old-a', kind: 'ready', atMs: START - 4_000 },
      { pod: 'app-new-c', kind: 'created', atMs: trigger + 50 }, { pod: 'app-new-c', kind: 'ready', atMs: trigger + 150 },
      { pod: 'app-old-a', kind: 'terminating', atMs: trigger + 180 }, { pod: 'app-old-a', kind: 'endpoint-not-ready', atMs: trigger + 950 },
      { pod: 'app-old-a', kind: 'terminated', atMs: trigger + (brokenListener ? 300 : 5_400), exitCode: 0 },
    ],
    lifecycle: [
      { pod: 'app-old-a', event: 'sigterm', atMs: trigger + 200 },
      ...(brokenListener ? [{ pod: 'app-old-a', event: 'exit' as const, atMs: trigger + 210, code: 0 }]
        : [{ pod: 'app-old-a', event: 'readiness-off' as const, atMs: trigger + 201 }, { pod: 'app-old-a', event: 'exit' as const, atMs: trigger + 5_300, code: 0 }]),
    ],
  };
}

function outcome(scenario: Scenario, timeline: Timeline): ScenarioOutcome {
  const analysis = evaluateTimeline(timeline, totalsOf(timeline.requests, timeline.served), { maxFailedRequests: 0, maxDrainMs: 0 });
  return { scenario, decidingModel: 'strict', iteration: 1, durationMs: 42_000, measured: { timeline, analysis, classifier: requestClassifier(timeline), requestsFile: 'scenarios/0-requests.ndjson' } };
}

export function sampleReport(): RunReport {
  const byId = (id: string) => DEFAULT_MATRIX.find((s) => s.id === id) as Scenario;
  const scenarios = [
    scenarioReport(outcome(byId('graceful/rollout-restart/fresh'), syntheticTimeline(false))),
    scenarioReport(outcome(byId('exit-immediately/rollout-restart/fresh'), syntheticTimeline(true))),
    scenarioReport({ scenario: byId('graceful/eviction/fresh'), decidingModel: 'strict', iteration: 1, durationMs: 3_000, error: 'pod app-1: ErrImageNeverPull <script>alert(1)</script>' }),
  ];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'drainspec', version: '0.0.0-sample' },
    runId: 'sample-run',
    startedAt: new Date(START).toISOString(),
    finishedAt: new Date(START + 60_000).toISOString(),
    durationMs: 60_000,
    environment: { provider: 'kind', context: 'kind-drainspec', kubernetesVersion: 'v1.33.13', kubeProxyMode: 'iptables', minSyncPeriod: '1s', cni: 'drainspec-cni', nodeImage: 'drainspec/kind-node:sample', nodes: 3 },
    settings: { replicas: 3, terminationGracePeriodSeconds: 15, drainDelayMs: 5_000, preStopSleepSeconds: 5, connections: 8, requestsPerSecond: 200, requestTimeoutMs: 5_000, thresholds: { maxFailedRequests: 0, maxDrainMs: 0 }, image: 'drainspec/sample-app:sample' },
    summary: summarize(scenarios),
    repeat: compareRepeats(scenarios),
    scenarios,
  };
}
