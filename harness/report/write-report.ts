// Writes DIR/<run-id>/{report.json,report.html,junit.xml,summary.md} and appends the summary to
// $GITHUB_STEP_SUMMARY when set. Request records go to scenarios/<n>-requests.ndjson as they are produced.
import { appendFileSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

export interface RecordWriter {
  /** Path relative to the report directory. */
  relativePath: string;
  write(record: RequestRecord): void;
  close(): Promise<void>;
}

/** One scenario's request records as NDJSON, written as they end (nothing accumulates in memory but the stream's buffer). */
export function openRequestRecords(dir: string, name: string): RecordWriter {
  const relativePath = join('scenarios', `${name}-requests.ndjson`);
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  const out = createWriteStream(join(dir, relativePath));
  let closed: Promise<void> | undefined;
  return {
    relativePath,
    write(record) {
      if (!closed) out.write(`${JSON.stringify(record)}\n`);
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      return closed;
    },
  };
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
