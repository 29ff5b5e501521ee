// report.html in a real headless Chromium: the sample report is written as a run would write it, loaded from a
// file:// URL through Playwright (playwright-core driving the system's Chromium, no browser download), and checked
// for console errors, network use beyond the file itself, charts that are actually laid out, the client-model
// columns, and unknown markers that are visible and explained. Artifacts: reports/tests/sample-report/ and
// reports/tests/report-screenshot.png.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { sampleReport } from '../../harness/report/sample-report.ts';
import { reportPaths, writeReport } from '../../harness/report/write-report.ts';
import { chromium, type Browser } from 'playwright-core';

const ARTIFACTS = resolve('reports/tests');
const SCREENSHOT = join(ARTIFACTS, 'report-screenshot.png');
const VIEWPORT = { width: 1100, height: 900 };
const MAX_SCREENSHOT_HEIGHT = 16_000;

interface PageFacts {
  title: string;
  bars: number;
  failedBars: number;
  marks: number;
  outcomeCharts: number;
  swimlaneCharts: number;
  chartWidth: number;
  chartHeight: number;
  scripts: number;
  escapedErrorShown: boolean;
  summaryHeadings: string[];
  decidingMarks: number;
  drainTables: number;
  unknownMarkers: number;
  unknownMarkersExplained: number;
  unknownMarkersVisible: number;
  notExercisedShown: boolean;
  overflowsHorizontally: boolean;
}

// Runs in the page; returns plain JSON.
const FACTS = `(() => {
  const chart = document.querySelector('svg.outcomes');
  const unknowns = [...document.querySelectorAll('table abbr.unknown')];
  const box = chart ? chart.getBoundingClientRect() : { width: 0, height: 0 };
  return {
    title: document.title,
    bars: document.querySelectorAll('svg.outcomes rect.bar').length,
    failedBars: document.querySelectorAll('svg.outcomes rect.bar.failed').length,
    marks: document.querySelectorAll('svg.swimlanes circle.mark').length,
    outcomeCharts: document.querySelectorAll('svg.outcomes').length,
    swimlaneCharts: document.querySelectorAll('svg.swimlanes').length,
    chartWidth: box.width,
    chartHeight: box.height,
    scripts: document.querySelectorAll('script').length,
    escapedErrorShown: document.body.innerText.includes('<script>alert(1)</script>'),
    summaryHeadings: [...document.querySelectorAll('table.summary thead th')].map((th) => th.textContent),
    decidingMarks: document.querySelectorAll('table.summary td.model.deciding .decides').length,
    drainTables: document.querySelectorAll('table.drain').length,
    unknownMarkers: unknowns.length,
    unknownMarkersExplained: unknowns.filter((u) => (u.getAttribute('title') || '').length > 10).length,
    unknownMarkersVisible: unknowns.filter((u) => u.getBoundingClientRect().width > 0).length,
    notExercisedShown: [...document.querySelectorAll('table.summary td.coverage')].some((td) => td.innerText.includes('not exercised')),
    overflowsHorizontally: document.documentElement.scrollWidth > window.innerWidth,
  };
})()`;

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('report.html in headless Chromium', () => {
  const report = sampleReport();
  const workDir = mkdtempSync(join(tmpdir(), 'drainspec-report-html-'));
  const paths = reportPaths(workDir, report.runId);
  const fileUrl = pathToFileURL(paths.html).href;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  let browser: Browser | undefined;
  let facts: PageFacts;
  let png: Buffer;
  let contentHeight = 0;

  beforeAll(async () => {
    writeReport(report, paths, {});
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(join(ARTIFACTS, 'sample-report'), { recursive: true, force: true });
    cpSync(paths.dir, join(ARTIFACTS, 'sample-report'), { recursive: true });

    browser = await chromium.launch({ executablePath: inject('chromiumPath'), timeout: 20_000 });
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => consoleErrors.push(`exception: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console.error: ${message.text()}`);
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });

    facts = (await page.evaluate(FACTS)) as PageFacts;

    const content = (await page.evaluate('({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })')) as { width: number; height: number };
    contentHeight = Math.min(content.height, MAX_SCREENSHOT_HEIGHT);
    // The whole page, not just the viewport.
    png = await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: content.width, height: contentHeight }, timeout: 30_000 });
    writeFileSync(SCREENSHOT, png);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('loads without console errors or exceptions', () => {
    expect(consoleErrors).toEqual([]);
  });

  test('makes no request beyond the file itself', () => {
    expect(requests[0]).toBe(fileUrl);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  });

  test('has a title, no script, and shows the injected error as text', () => {
    expect(facts.title).toContain('drainspec');
    expect(facts.scripts).toBe(0);
    expect(facts.escapedErrorShown).toBe(true);
  });

  test('draws outcome bars, failed bars and swimlane marks', () => {
    expect(facts.outcomeCharts).toBeGreaterThan(0);
    expect(facts.swimlaneCharts).toBeGreaterThan(0);
    expect(facts.bars).toBeGreaterThan(0);
    expect(facts.failedBars).toBeGreaterThan(0);
    expect(facts.marks).toBeGreaterThan(0);
  });

  test('shows a verdict column per client model, the deciding one marked, and the coverage', () => {
    expect(facts.summaryHeadings.slice(1, 4)).toEqual(['clients that never retry', 'retrying clients', 'coverage']);
    expect(facts.decidingMarks).toBe(report.scenarios.filter((s) => s.models).length);
    expect(facts.notExercisedShown).toBe(true);
  });

  test('marks what cannot be known visibly, each marker with its reason', () => {
    expect(facts.drainTables).toBe(report.scenarios.filter((s) => s.drain).length);
    expect(facts.unknownMarkers).toBeGreaterThan(0);
    expect(facts.unknownMarkersExplained).toBe(facts.unknownMarkers);
    expect(facts.unknownMarkersVisible).toBe(facts.unknownMarkers);
  });

  test('fits the viewport width (wide tables scroll inside the page)', () => {
    expect(facts.overflowsHorizontally).toBe(false);
  });

  test('lays the outcome chart out with a real size', () => {
    expect(facts.chartWidth).toBeGreaterThan(0);
    expect(facts.chartHeight).toBeGreaterThan(0);
  });

  test('screenshot is a full-page PNG of non-trivial size', () => {
    const size = pngSize(png);
    expect(size.width).toBe(VIEWPORT.width);
    expect(size.height).toBe(contentHeight);
    expect(size.height).toBeGreaterThan(VIEWPORT.height);
    expect(png.length).toBeGreaterThan(20_000);
  });
});
