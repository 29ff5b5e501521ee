import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareRepeats } from './build-report.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { ScenarioReport } from './report-model.ts';
import { sampleReport } from './sample-report.ts';
import { reportPaths, writeReport } from './write-report.ts';

describe('report builders', () => {
  const report = sampleReport();
  const [graceful, broken, errored] = report.scenarios as [ScenarioReport, ScenarioReport, ScenarioReport];

  test('verdicts and expectation matching flow from the analysis', () => {
    expect(graceful).toMatchObject({ verdict: 'pass', matched: true });
    expect(broken).toMatchObject({ verdict: 'fail', matched: true, primaryClass: 'refused-before-endpoint-removal' });
    expect(errored).toMatchObject({ verdict: 'error', matched: false, mismatchReason: 'could not test' });
    expect(report.summary).toEqual({ scenarios: 3, passed: 1, failed: 1, errors: 1, matched: 2, mismatched: 1 });
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
    expect(lane?.marks.map((m) => m.kind)).toEqual(['created', 'ready', 'terminating', 'sigterm', 'readiness-off', 'last-served', 'endpoint-not-ready', 'exit', 'terminated']);
  });

  test('junit has one testcase per scenario: mismatch = failure, could-not-test = error', () => {
    const xml = renderJunit(report);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="0" errors="1"');
    expect(xml).toContain('&lt;script&gt;');
  });

  test('html is self-contained, escapes input and draws the timeline', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
    expect(html).toContain('&#60;script&#62;');
    expect(html.match(/<svg class="outcomes"/g)).toHaveLength(2);
    expect(html).toContain('class="bar failed"');
    expect(html).toContain('Keep serving for a drain delay');
  });

  test('markdown table has a row per scenario', () => {
    const md = renderMarkdown(report);
    expect(md.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌') || l.startsWith('| ⚠️'))).toHaveLength(3);
    expect(md).toContain('1 of 3 verdicts not as expected');
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
