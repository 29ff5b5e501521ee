// What a run has put into the world, as far as cleanup needs to know, and the marker file that records it on this
// machine (`<cache>/runs/<run-id>.json`) so that its reaper — or a later run, after the machine died — can finish
// the job. The marker exists from the run's first step until its cleanup is done.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cache/content-cache.ts';
import type { ProcessIdentity } from './proc.ts';

export interface KindFootprint {
  name: string;
  /** No node container of this name existed when the run began: the run is creating, or created, it. */
  createdByRun: boolean;
  /** --keep-cluster: a cluster the run created is kept once it is ready. */
  keep: boolean;
  /** The cluster came up; a half-created one is deleted even when kept (it is worse than none). */
  ready: boolean;
}

export interface RunFootprint {
  runId: string;
  /** Known once the run has clients: where its labelled namespaces live ('' kubeconfig = the default one). */
  context?: string;
  kubeconfig?: string;
  /** The kind cluster the run uses, when it uses one. */
  cluster?: KindFootprint;
}

export interface RunMarker {
  runId: string;
  run: ProcessIdentity;
  reaper?: ProcessIdentity;
  startedAt: string;
  footprint: RunFootprint;
}

/** Whether cleanup removes the whole kind cluster (which takes the namespaces with it). */
export function clusterToDelete(footprint: RunFootprint): string | undefined {
  const cluster = footprint.cluster;
  return cluster?.createdByRun && (!cluster.keep || !cluster.ready) ? cluster.name : undefined;
}

export const runsDir = (): string => join(cacheRoot(), 'runs');
export const markerPath = (runId: string): string => join(runsDir(), `${runId}.json`);

/** Written whole and renamed into place, so a reader never sees half a marker. */
export function writeMarker(marker: RunMarker): void {
  mkdirSync(runsDir(), { recursive: true });
  const path = markerPath(marker.runId);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function readMarker(path: string): RunMarker | undefined {
  try {
    const marker = JSON.parse(readFileSync(path, 'utf8')) as RunMarker;
    return typeof marker.runId === 'string' && typeof marker.run?.pid === 'number' ? marker : undefined;
  } catch {
    return undefined;
  }
}

export function readMarkers(): RunMarker[] {
  let names: string[];
  try {
    names = readdirSync(runsDir());
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => readMarker(join(runsDir(), n))).filter((m): m is RunMarker => m !== undefined);
}

export function removeMarker(runId: string): void {
  rmSync(markerPath(runId), { force: true });
}
