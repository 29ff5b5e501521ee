// Report project set-up: a headless Chromium for Playwright to render report.html in. Uses `chromium` from PATH, else installs
// Debian's package (apt-get update only when the install fails for want of package lists). Output goes to a log;
// a failure is one line naming the log and the fix.
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { sh, shWith } from '../../harness/sh.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

const LOG = resolve('reports/tests/chromium-install.log');
const FIX = 'apt-get update && apt-get install -y --no-install-recommends chromium (as root), or put a chromium on PATH';
const APT_TIMEOUT = '15m';

/** Debian's chromium first; GitHub's runners ship Google Chrome instead (same DevTools protocol). */
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

async function chromiumPath(): Promise<string | undefined> {
  if (process.env.DRAINSPEC_CHROMIUM) return process.env.DRAINSPEC_CHROMIUM;
  for (const name of BROWSERS) {
    const out = await sh`command -v ${name}`.nothrow();
    if (out.exitCode === 0) return out.stdout.trim();
  }
  return undefined;
}

/** Runs one apt-get command with its output appended to LOG. */
async function aptGet(args: string[]): Promise<{ ok: boolean; output: string }> {
  appendFileSync(LOG, `\n$ apt-get ${args.join(' ')}\n`);
  const apt = shWith({ DEBIAN_FRONTEND: 'noninteractive' });
  const out = await apt`apt-get -o DPkg::Lock::Timeout=300 ${args}`.timeout(APT_TIMEOUT).nothrow();
  const output = `${out.stdout}${out.stderr}`;
  appendFileSync(LOG, `${output}[exit ${out.exitCode ?? out.signal}]\n`);
  return { ok: out.exitCode === 0, output };
}

/** apt-get's ways of saying the package lists are missing or stale. */
const LISTS_MISSING = /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found|Unable to fetch some archives/;

async function installChromium(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`chromium is not on PATH and installing it needs root; fix: ${FIX}`);
  if (!(await hasAptGet())) throw new Error(`chromium is not on PATH and there is no apt-get to install it; fix: put a chromium on PATH`);
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  const first = await aptGet(install);
  if (first.ok) return;
  if (LISTS_MISSING.test(first.output) && (await aptGet(['update'])).ok && (await aptGet(install)).ok) return;
  throw new Error(`chromium install failed (see ${LOG}); fix: ${FIX}`);
}

async function hasAptGet(): Promise<boolean> {
  return (await sh`command -v apt-get`.nothrow()).exitCode === 0;
}

export default async function setup(project: TestProject): Promise<void> {
  mkdirSync(resolve('reports/tests'), { recursive: true });
  let path = await chromiumPath();
  if (!path) {
    const startedMs = Date.now();
    console.log(`[report] chromium not on PATH: installing Debian's chromium (log ${LOG})`);
    await installChromium();
    path = await chromiumPath();
    if (!path) throw new Error(`apt-get installed chromium but it is not on PATH (see ${LOG}); fix: ${FIX}`);
    console.log(`[report] chromium installed in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  }
  const version = await sh`${path} --version`.timeout('30s').nothrow();
  if (version.exitCode !== 0) throw new Error(`${path} --version failed (${version.stderr.trim().split('\n').pop() ?? `exit ${version.exitCode}`}); fix: ${FIX}`);
  console.log(`[report] ${version.stdout.trim()} at ${path}`);
  project.provide('chromiumPath', path);
}
