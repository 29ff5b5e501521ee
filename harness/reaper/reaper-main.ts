// The reaper process — testcontainers' Ryuk for one run — started detached by the run before anything else. Its
// stdin is a pipe from the run: end-of-file means the run exited, whether it finished, crashed or was SIGKILLed.
// If the run's marker is still there, the run did not finish its cleanup: the reaper removes what the marker
// records, within REAP_BUDGET_MS, deletes the marker once nothing is left, and exits. It outlives its run by that
// budget at most, and never lives longer than MAX_LIFETIME_MS. A run stopping on a signal sends its deadline
// (`{"stopBy": ms}`): a run still there then (its event loop blocked, its exit stuck) is SIGKILLed, then reaped.
import { basename } from 'node:path';
import { cleanupRun } from './cleanup.ts';
import { readMarker, removeMarker } from './footprint.ts';
import { isRunning } from './proc.ts';

const REAP_BUDGET_MS = 60_000;
const MAX_LIFETIME_MS = 24 * 3_600_000;

const markerFile = process.argv[2] ?? '';
const startMarker = readMarker(markerFile);
const runId = basename(markerFile, '.json');
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} reaper ${process.pid} run ${runId}: ${line}\n`);

async function reap(): Promise<void> {
  const marker = readMarker(markerFile);
  if (!marker) {
    log('the run cleaned up after itself');
    return;
  }
  log(`run (pid ${marker.run.pid}) exited without finishing its cleanup: removing ${JSON.stringify(marker.footprint)}`);
  const result = await cleanupRun(marker.footprint, { deadlineAt: Date.now() + REAP_BUDGET_MS, waitGone: true, log });
  const removed = [result.clusterDeleted && `kind cluster ${result.clusterDeleted}`, result.namespaces.length > 0 && `namespaces ${result.namespaces.join(', ')}`, result.uncordoned.length > 0 && `cordon of ${result.uncordoned.join(', ')}`].filter(Boolean);
  log(`${result.complete ? 'done' : 'incomplete'}: removed ${removed.join('; ') || 'nothing (nothing was left)'}${result.problems.length > 0 ? `; ${result.problems.join('; ')}` : ''}`);
  if (result.complete) removeMarker(marker.runId);
}

// Its own session keeps terminal and process-group signals away; SIGINT/SIGHUP aimed at it by mistake are ignored.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
setTimeout(() => {
  log(`still running after ${MAX_LIFETIME_MS / 3_600_000} h: exiting (the next run's start-up finishes the job)`);
  process.exit(0);
}, MAX_LIFETIME_MS).unref();

let reaping = false;
const onRunGone = () => {
  if (reaping) return;
  reaping = true;
  reap().catch((error: unknown) => log(`failed: ${(error as Error).message}`)).finally(() => process.exit(0));
};
const enforceStop = (deadlineAtMs: number) => {
  setTimeout(() => {
    // The run as it started (its marker may already be gone: a cleanup that finished before an exit that hangs).
    const run = startMarker?.run;
    if (!run || !isRunning(run)) return;
    log(`run (pid ${run.pid}) still running at its stop deadline: SIGKILL`);
    process.kill(run.pid, 'SIGKILL');
  }, Math.max(0, deadlineAtMs - Date.now()));
};
let received = '';
process.stdin.on('data', (chunk: Buffer) => {
  received += chunk.toString('utf8');
  const lines = received.split('\n');
  received = lines.pop() ?? '';
  for (const line of lines) {
    try {
      const message = JSON.parse(line) as { stopBy?: unknown };
      if (typeof message.stopBy === 'number') enforceStop(message.stopBy);
    } catch {
      log(`ignored a line that is not a message: ${line.slice(0, 80)}`);
    }
  }
});
process.stdin.on('end', onRunGone);
process.stdin.on('close', onRunGone);
process.stdin.on('error', onRunGone);
