// One chaos trial: start a run (the real CLI on a kept cluster, or cluster-run.ts creating its own cluster), SIGKILL
// exactly that process at a chosen moment, then watch until nothing of it is left or the time is up.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerOfLaunch, waitUntilClean, type Leftovers } from './observe-run.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface KillTrial {
  /** Node arguments: the CLI (`bin/drainspec.js run …`) or `harness/reaper/chaos/cluster-run.ts <name>`. */
  args: string[];
  /** SIGKILL this long after the start… */
  killAtMs: number;
  /** …or as soon as this holds (polled every 200 ms), whichever comes first. */
  killWhen?: (runId: string) => Promise<boolean>;
  /** The context the run's namespaces live in ('' when they go with a cluster the run created). */
  context: string;
  /** The kind cluster the run creates, counted as orphaned while any of its node containers remains. */
  createdCluster?: string;
  /** How long the reaper has (the bar: 60 s). */
  cleanWithinMs: number;
  logPath: string;
}

export interface KillOutcome {
  runId?: string;
  /** Time from start to the SIGKILL (absent: the run ended by itself first). */
  killedAtMs?: number;
  /** What the run was doing: its last output line before the kill. */
  phase: string;
  left?: Leftovers;
  cleanAfterMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lastLine(path: string): string {
  try {
    // eslint-disable-next-line no-control-regex -- the live progress line's terminal escapes
    const lines = readFileSync(path, 'utf8').split(/[\r\n]+/).map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim()).filter(Boolean);
    return lines.at(-1) ?? '(no output yet)';
  } catch {
    return '(no output yet)';
  }
}

export async function killTrial(trial: KillTrial): Promise<KillOutcome> {
  mkdirSync(join(trial.logPath, '..'), { recursive: true });
  const fd = openSync(trial.logPath, 'w');
  // Its own session: the SIGKILL is for that process alone, as when a runner or the OOM killer ends it.
  const child = spawn(process.execPath, trial.args, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const startedAt = Date.now();
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const pid = child.pid ?? 0;
  const markerPromise = markerOfLaunch(pid, trial.killAtMs, () => !exited);
  let marker = await markerPromise;
  for (;;) {
    if (exited) break;
    const elapsed = Date.now() - startedAt;
    if (elapsed >= trial.killAtMs || (marker && trial.killWhen && (await trial.killWhen(marker.runId)))) break;
    marker ??= await markerOfLaunch(pid, 200, () => !exited);
    await pause(200);
  }
  if (exited) return { ...(marker ? { runId: marker.runId } : {}), phase: `ended by itself: ${lastLine(trial.logPath)}` };
  // The marker as it is at the kill (it records the cluster and context reached so far).
  marker = (await markerOfLaunch(pid, 1_000)) ?? marker;
  const phase = lastLine(trial.logPath);
  child.kill('SIGKILL');
  const killedAtMs = Date.now() - startedAt;
  if (!marker) return { killedAtMs, phase: `${phase} (before the run wrote its marker: it had created nothing)` };
  const { left, cleanAfterMs } = await waitUntilClean(marker, trial.context, trial.cleanWithinMs, trial.createdCluster);
  return { runId: marker.runId, killedAtMs, phase, left, ...(cleanAfterMs !== undefined ? { cleanAfterMs } : {}) };
}
