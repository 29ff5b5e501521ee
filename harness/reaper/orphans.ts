// Runs on this machine that died together with their reaper (the machine went down, or both were killed): their
// markers remain. A later run's start-up finishes what is local — the kind cluster such a run created and did not
// keep, or its namespaces on a kind cluster — within a bounded time. On an existing cluster the run's Leases cover
// it (lapsed-runs.ts, at the next run's start there), so that marker is simply dropped; markers it cannot act on are
// forgotten after a day.
import { cleanupRun, kindNodeContainers } from './cleanup.ts';
import { readMarkers, removeMarker } from './footprint.ts';
import { isRunning } from './proc.ts';

const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const PER_RUN_MS = 10_000;

export async function reapOrphanedRuns(options: { budgetMs: number; log(line: string): void }): Promise<string[]> {
  const deadlineAt = Date.now() + options.budgetMs;
  const reaped: string[] = [];
  for (const marker of readMarkers()) {
    if (Date.now() >= deadlineAt) break;
    if (isRunning(marker.run) || (marker.reaper && isRunning(marker.reaper))) continue;
    const { footprint } = marker;
    const cluster = footprint.cluster?.name;
    const giveUp = Date.now() - Date.parse(marker.startedAt) > GIVE_UP_AFTER_MS;
    // No kind cluster (its Leases cover it), or the cluster is gone and everything in it: nothing to do here.
    if (giveUp || !cluster || (await kindNodeContainers(cluster))?.length === 0) {
      if (giveUp) options.log(`forgetting run ${marker.runId}'s cleanup (over a day old)`);
      removeMarker(marker.runId);
      continue;
    }
    options.log(`run ${marker.runId} died without cleaning up: finishing its cleanup`);
    const result = await cleanupRun(footprint, { deadlineAt: Math.min(deadlineAt, Date.now() + PER_RUN_MS), waitGone: false, log: options.log }).catch((error: unknown) => {
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
