import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareRepeats } from './build-report.ts';
import type { ScenarioReport } from './report-model.ts';
import { sampleReport } from './sample-report.ts';
import { reportPaths, writeReport } from './write-report.ts';

type Seven<T> = [T, T, T, T, T, T, T];

describe('report builders', () => {
  const report = sampleReport();
  const [graceful, broken, raced, uninstrumented, unattributed, unexercised, errored] = report.scenarios as Seven<ScenarioReport>;

  test('verdicts and expectation matching flow from the analysis', () => {
    expect(graceful).toMatchObject({ verdict: 'pass', matched: true });
    expect(broken).toMatchObject({ verdict: 'fail', matched: true, primaryClass: 'refused-before-endpoint-removal' });
    expect(errored).toMatchObject({ verdict: 'error', matched: false, mismatchReason: 'pod app-1: ErrImageNeverPull <script>alert(1)</script>' });
    expect(errored.models).toBeUndefined();
    expect(report.summary).toEqual({ scenarios: 7, passed: 3, failed: 2, errors: 2, matched: 5, mismatched: 2 });
  });

  test('the sample shows the client models disagreeing: a keep-alive race that retries absorb', () => {
    expect(raced).toMatchObject({ verdict: 'fail', decidingModel: 'strict', matched: true });
    expect(raced.models?.strict).toMatchObject({ verdict: 'fail', primaryClass: 'keepalive-race', failures: { total: 6 }, matched: true });
    expect(raced.models?.retrying).toMatchObject({ verdict: 'pass', absorbedRetries: 6, expected: { verdict: 'pass' }, matched: true });
  });

  test('the sample covers every coverage state, and an uninstrumented app leaves unknowns undefined', () => {
    expect(graceful.coverage).toMatchObject({ source: 'header', exercised: true });
    expect(uninstrumented.coverage).toMatchObject({ source: 'conntrack', exercised: true });
    expect(unattributed.coverage).toMatchObject({ source: 'none' });
    expect(unattributed.coverage?.exercised).toBeUndefined();
    expect(unexercised).toMatchObject({ verdict: 'error', matched: false, coverage: { exercised: false } });
    expect(unexercised.error).toMatch(/^not exercised: /);
    const pod = uninstrumented.drain?.pods[0];
    expect(pod).toMatchObject({ preStop: 'sleep 5s', drainMs: 500, exitCode: 0 });
    expect(pod?.servedAfterTerminating).toBeUndefined();
    expect(pod?.sigtermToExitMs).toBeUndefined();
    expect(unattributed.drain?.pods[0]?.drainMs).toBeUndefined();
  });

  test('100 ms buckets account for every finished request, failed ones by class', () => {
    const buckets = broken.timeline?.buckets ?? [];
    expect(buckets).toHaveLength(100);
    const ok = buckets.reduce((n, b) => n + b.ok, 0);
    const refused = buckets.reduce((n, b) => n + (b.failed['refused-before-endpoint-removal'] ?? 0), 0);
    expect(ok + refused).toBe(broken.totals?.sent);
    expect(refused).toBe(broken.totals?.failed);
    expect(refused).toBeGreaterThan(0);
  });

  test('swimlanes carry cluster and app marks in time order, with the exit code', () => {
    const lane = graceful.timeline?.pods.find((p) => p.pod === 'app-old-a');
    expect(lane?.exitCode).toBe(0);
    expect(lane?.marks.map((m) => m.kind)).toEqual(['created', 'ready', 'terminating', 'sigterm', 'readiness-off', 'last-served', 'endpoint-not-ready', 'endpoint-not-serving', 'exit', 'terminated']);
  });

  test('repeat comparison names scenarios whose verdict changed', () => {
    const again = { ...broken, iteration: 2, verdict: 'pass' as const, primaryClass: undefined };
    expect(compareRepeats([graceful, broken, { ...graceful, iteration: 2 }, again])).toEqual({
      iterations: 2, identical: false, differences: [{ id: broken.id, verdicts: ['fail:refused-before-endpoint-removal', 'pass'] }], classVariations: [],
    });
    const otherClass = { ...broken, iteration: 2, primaryClass: 'grace-too-short' as const };
    expect(compareRepeats([broken, otherClass])).toEqual({
      iterations: 2, identical: true, differences: [], classVariations: [{ id: broken.id, verdicts: ['fail:refused-before-endpoint-removal', 'fail:grace-too-short'] }],
    });
  });

  test('writeReport writes all four files and appends the step summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-report-'));
    const summaryFile = join(dir, 'step-summary.md');
    const paths = reportPaths(dir, report.runId);
    writeReport(report, paths, { GITHUB_STEP_SUMMARY: summaryFile });
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ schemaVersion: 1, runId: 'sample-run' });
    expect(readFileSync(paths.html, 'utf8')).toContain('<!doctype html>');
    expect(readFileSync(paths.junit, 'utf8')).toContain('<testsuites');
    expect(readFileSync(summaryFile, 'utf8')).toBe(readFileSync(paths.markdown, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
  });
});
