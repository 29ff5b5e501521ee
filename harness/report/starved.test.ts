import { describe, expect, test } from 'vitest';
import { requestClassifier } from '../analysis/classify.ts';
import { evaluateTimeline, stallLimitFor } from '../analysis/evaluate.ts';
import { totalsOf } from '../load/accounted-load.ts';
import { verdictLine } from '../run/run-matrix.ts';
import { DEFAULT_MATRIX, type Scenario } from '../scenarios/catalogue.ts';
import { scenarioReport, summarize } from './build-report.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { sampleReport } from './sample-report.ts';
import { keepAliveRaceRollout } from './sample-timelines.ts';

const LIMIT_MS = stallLimitFor(keepAliveRaceRollout());
const STALL_MS = LIMIT_MS + 480;
const reason = `the harness was starved: event loop stalled ${STALL_MS} ms (limit ${LIMIT_MS} ms)`;

function starvedReport() {
  const timeline = { ...keepAliveRaceRollout(), harness: { maxEventLoopDelayMs: STALL_MS, p99EventLoopDelayMs: 3, cpuUserMs: 2_000, cpuSystemMs: 700, wallMs: 30_000 } };
  const analysis = evaluateTimeline(timeline, totalsOf(timeline.requests, timeline.served), { maxFailedRequests: 0, maxDrainMs: 0 });
  const scenario = DEFAULT_MATRIX.find((s) => s.id === 'delayed-close/rollout-restart/keepalive') as Scenario;
  const report = scenarioReport({ scenario, decidingModel: 'strict', iteration: 1, durationMs: 40_000, measured: { timeline, analysis, classifier: requestClassifier(timeline), requestsFile: 'scenarios/0-requests.ndjson' } });
  return { ...sampleReport(), scenarios: [report], summary: summarize([report]) };
}

describe('a scenario whose harness was starved', () => {
  const run = starvedReport();
  const [s] = run.scenarios;

  test('is an error with the reason for both models, and keeps its figures', () => {
    expect(s).toMatchObject({ verdict: 'error', matched: false, error: reason, starved: reason, mismatchReason: reason, harness: { maxEventLoopDelayMs: STALL_MS } });
    expect(s?.models?.strict).toMatchObject({ verdict: 'error', matched: false });
    expect(s?.models?.retrying).toMatchObject({ verdict: 'error', matched: false });
    expect(run.summary).toMatchObject({ errors: 1, failed: 0 });
  });

  test('every view says why: the verdict line, report.html, junit.xml and summary.md', () => {
    expect(verdictLine(s as NonNullable<typeof s>)).toBe(`error: ${reason}`);
    expect(renderHtml(run)).toContain(`No verdict: ${reason}.`);
    expect(renderHtml(run)).toContain('harness starved');
    expect(renderJunit(run)).toContain(`<error message="${reason} [strict: error (harness starved); retrying: error (harness starved)]">`);
    expect(renderMarkdown(run)).toContain('**error: harness starved** ✗');
  });
});
