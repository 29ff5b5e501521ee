// Runs on this machine that died with their reaper (the machine went down, or both were killed): their markers
// remain. A later run's start-up finishes their cleanup — the kind cluster such a run created and did not keep, or
// its namespaces — within a bounded time, and forgets markers it cannot act on after a day.
import { cleanupRun } from './cleanup.ts';
import { readMarkers, removeMarker } from './footprint.ts';
import { isRunning } from './proc.ts';

const GIVE_UP_AFTER_MS = 24 * 3_600_000;

export async function reapOrphanedRuns(options: { budgetMs: number; log(line: string): void }): Promise<string[]> {
  const deadlineAt = Date.now() + options.budgetMs;
  const reaped: string[] = [];
  for (const marker of readMarkers()) {
    if (Date.now() >= deadlineAt) break;
    if (isRunning(marker.run) || (marker.reaper && isRunning(marker.reaper))) continue;
    if (Date.now() - Date.parse(marker.startedAt) > GIVE_UP_AFTER_MS) {
      options.log(`forgetting run ${marker.runId}'s cleanup (over a day old)`);
      removeMarker(marker.runId);
      continue;
    }
    options.log(`run ${marker.runId} died without cleaning up: finishing its cleanup`);
    const result = await cleanupRun(marker.footprint, { deadlineAt, waitGone: false, log: options.log }).catch((error: unknown) => {
      options.log(`cleanup of run ${marker.runId}: ${(error as Error).message}`);
      return undefined;
    });
    if (result?.complete) {
      removeMarker(marker.runId);
      reaped.push(marker.runId);
    }
  }
  return reaped;
}
