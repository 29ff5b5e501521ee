// Starts the run's reaper (reaper-main.ts) as a detached process of the same Node, its log in <cache>/logs/reaper.log.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../cache/content-cache.ts';
import { MODULE_EXTENSION } from '../package-files.ts';
import { spawnWatcher } from '../sh.ts';
import { markerPath } from './footprint.ts';

export interface Reaper {
  pid: number;
  /** Closes the pipe: the reaper checks the marker at once (the run removes it when it cleaned up itself). */
  release(): void;
  /** The run is stopping on a signal: if it still runs at `deadlineAtMs`, the reaper SIGKILLs it and finishes. */
  stopBy(deadlineAtMs: number): void;
}

export const reaperLogPath = (): string => join(cacheRoot(), 'logs', 'reaper.log');

export function startReaper(runId: string): Reaper {
  mkdirSync(join(cacheRoot(), 'logs'), { recursive: true });
  const entry = fileURLToPath(new URL(`./reaper-main${MODULE_EXTENSION}`, import.meta.url));
  const watcher = spawnWatcher(process.execPath, [entry, markerPath(runId)], reaperLogPath());
  return { pid: watcher.pid, release: watcher.release, stopBy: (deadlineAtMs) => watcher.send(JSON.stringify({ stopBy: deadlineAtMs })) };
}
