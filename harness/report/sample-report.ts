// A small but complete RunReport built from synthetic timelines through the real builders, for renderer tests
// and the headless-browser check (no cluster involved; the numbers are made up, the code paths are not). It shows
// both client models disagreeing (a keep-alive race absorbed by retries), an app that logs nothing and names no
// pod (unknown values), and every kind of coverage: reached by header, by conntrack, unknown, not exercised.
import { requestClassifier } from '../analysis/classify.ts';
import { evaluateTimeline } from '../analysis/evaluate.ts';
import { totalsOf } from '../load/accounted-load.ts';
import type { Timeline } from '../model/run-data.ts';
import { DEFAULT_MATRIX, YOUR_APP_MATRIX, type Scenario } from '../scenarios/catalogue.ts';
import { compareRepeats, scenarioReport, summarize, type ScenarioOutcome } from './build-report.ts';
import { REPORT_SCHEMA_VERSION, type RunReport } from './report-model.ts';
import { keepAliveRaceRollout, sampleAppRollout, START, unattributedPodDelete, unexercisedScaleDown, uninstrumentedRollout } from './sample-timelines.ts';

function outcome(scenario: Scenario, timeline: Timeline, index: number): ScenarioOutcome {
  const analysis = evaluateTimeline(timeline, totalsOf(timeline.requests, timeline.served), { maxFailedRequests: 0, maxDrainMs: 0 });
  return { scenario, decidingModel: 'strict', iteration: 1, durationMs: 42_000, measured: { timeline, analysis, classifier: requestClassifier(timeline), requestsFile: `scenarios/${index}-requests.ndjson` } };
}

export function sampleReport(): RunReport {
  const byId = (id: string) => [...DEFAULT_MATRIX, ...YOUR_APP_MATRIX].find((s) => s.id === id) as Scenario;
  const measured: [string, Timeline][] = [
    ['graceful/rollout-restart/fresh', sampleAppRollout(false)],
    ['exit-immediately/rollout-restart/fresh', sampleAppRollout(true)],
    ['delayed-close/rollout-restart/keepalive', keepAliveRaceRollout()],
    ['your-app/rollout-restart/keepalive', uninstrumentedRollout()],
    ['your-app/pod-delete/keepalive', unattributedPodDelete()],
    ['your-app/scale-down/fresh', unexercisedScaleDown()],
  ];
  const scenarios = [
    ...measured.map(([id, timeline], i) => scenarioReport(outcome(byId(id), timeline, i))),
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
    settings: {
      replicas: 3, terminationGracePeriodSeconds: 15, drainDelayMs: 5_000, preStopSleepSeconds: 5,
      appRollout: 'sample app: terminationGracePeriodSeconds 15, drain delay 5000 ms (graceful variants), preStop sleep 5s (graceful-prestop)',
      connections: 8, requestsPerSecond: 200, requestTimeoutMs: 5_000, thresholds: { maxFailedRequests: 0, maxDrainMs: 0 }, image: 'drainspec/sample-app:sample',
    },
    summary: summarize(scenarios),
    repeat: compareRepeats(scenarios),
    scenarios,
  };
}
