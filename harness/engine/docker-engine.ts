// Makes a Docker engine answer: reuse a running one, else install Debian's docker.io and start dockerd.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { packageFile } from '../package-files.ts';
import { hasCommand, sh, spawnDaemon } from '../sh.ts';
import { hostLacksSysResource } from './capabilities.ts';

export interface EngineOptions {
  /** Where dockerd's output goes when this module starts it. */
  logPath: string;
  /** How long to wait for a started dockerd to answer. */
  startTimeoutMs: number;
}

export const defaultEngineOptions: EngineOptions = {
  logPath: '/var/log/drainspec-dockerd.log',
  startTimeoutMs: 60_000,
};

const SHIM_PATH = '/usr/local/libexec/drainspec/runc-drop-caps';
const SHIM_RUNTIME = 'runc-drop-caps';
const DAEMON_JSON = '/etc/docker/daemon.json';
const shimSource = packageFile('harness', 'engine', 'runc-drop-caps.sh');

export async function engineAnswers(): Promise<boolean> {
  if (!(await hasCommand('docker'))) return false;
  return (await sh`docker info --format '{{.ServerVersion}}'`.nothrow().timeout('20s')).exitCode === 0;
}

async function installEngine(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('no Docker engine answers and dockerd is missing: install docker.io (apt-get install docker.io) or run as root');
  const update = await sh`apt-get update -qq`.nothrow();
  const install = await sh`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io jq`.nothrow();
  if (update.exitCode !== 0 || install.exitCode !== 0) {
    throw new Error(`could not install docker.io from Debian's packages: ${install.stderr.trim().split('\n').pop() ?? 'apt-get failed'}`);
  }
}

/** Makes the runc shim the default runtime when the host lacks CAP_SYS_RESOURCE; changes nothing otherwise. */
export function configureRuntimeShim(): boolean {
  if (!hostLacksSysResource()) return false;
  mkdirSync(dirname(SHIM_PATH), { recursive: true });
  copyFileSync(shimSource, SHIM_PATH);
  chmodSync(SHIM_PATH, 0o755);
  const current = existsSync(DAEMON_JSON) ? (JSON.parse(readFileSync(DAEMON_JSON, 'utf8')) as Record<string, unknown>) : {};
  const runtimes = { ...(current.runtimes as Record<string, unknown> | undefined), [SHIM_RUNTIME]: { path: SHIM_PATH } };
  mkdirSync(dirname(DAEMON_JSON), { recursive: true });
  writeFileSync(DAEMON_JSON, `${JSON.stringify({ ...current, runtimes, 'default-runtime': SHIM_RUNTIME }, null, 2)}\n`);
  return true;
}

async function waitForEngine(timeoutMs: number, logPath: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await engineAnswers()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`dockerd did not answer within ${timeoutMs / 1000}s: see ${logPath}`);
}

/** Ensures an engine answers; returns what was done so callers can report it. */
export async function ensureEngine(options: EngineOptions = defaultEngineOptions): Promise<'running' | 'started'> {
  if (await engineAnswers()) return 'running';
  if (!(await hasCommand('dockerd'))) await installEngine();
  if (!(await hasCommand('jq'))) await installEngine();
  configureRuntimeShim();
  spawnDaemon('dockerd', [], options.logPath);
  await waitForEngine(options.startTimeoutMs, options.logPath);
  return 'started';
}
