// Writes DIR/<run-id>/{report.json,report.html,junit.xml,summary.md} and appends the summary to
// $GITHUB_STEP_SUMMARY when set. Request records go to scenarios/<n>-requests.ndjson as they are produced.
import { appendFileSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { RequestRecord } from '../model/run-data.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunReport } from './report-model.ts';

export interface ReportPaths {
  dir: string;
  html: string;
  json: string;
  junit: string;
  markdown: string;
}

export function reportPaths(reportRoot: string, runId: string): ReportPaths {
  const dir = join(reportRoot, runId);
  return { dir, html: join(dir, 'report.html'), json: join(dir, 'report.json'), junit: join(dir, 'junit.xml'), markdown: join(dir, 'summary.md') };
}

/** Streams one scenario's request records as NDJSON; returns the path relative to the report directory. */
export async function writeRequestRecords(dir: string, name: string, records: readonly RequestRecord[]): Promise<string> {
  const relative = join('scenarios', `${name}-requests.ndjson`);
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  const out = createWriteStream(join(dir, relative));
  for (const r of records) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return relative;
}

export function writeReport(report: RunReport, paths: ReportPaths, env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(paths.html, renderHtml(report));
  writeFileSync(paths.junit, renderJunit(report));
  const markdown = renderMarkdown(report);
  writeFileSync(paths.markdown, markdown);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}
