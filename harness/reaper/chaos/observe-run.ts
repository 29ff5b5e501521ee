// Watching a drainspec run from outside, for the chaos command and the signal tests: which run a launched process
// became (its marker names the drainspec process, whatever wrappers started it), and what of it is left.
import { readdirSync } from 'node:fs';
import { connect, type KubeClients } from '../../k8s/client.ts';
import { namespaceName } from '../../k8s/namespace.ts';
import { CORDONED_FOR_ANNOTATION } from '../../k8s/rollout.ts';
import { kindNodeContainers, listRunNamespaces } from '../cleanup.ts';
import { markerPath, readMarker, runsDir, type RunMarker } from '../footprint.ts';
import { isRunning, readStat } from '../proc.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `pid` is `ancestor` or runs below it (wrappers such as npx → sh → node). */
export function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current = pid, depth = 0; current > 1 && depth < 12; depth++) {
    if (current === ancestor) return true;
    current = readStat(current)?.ppid ?? 0;
  }
  return false;
}

/** The marker of the run that `launcherPid` started (polled until it appears or `timeoutMs` passes). */
export async function markerOfLaunch(launcherPid: number, timeoutMs: number, stillLaunching: () => boolean = () => true): Promise<RunMarker | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && stillLaunching()) {
    let names: string[] = [];
    try {
      names = readdirSync(runsDir()).filter((n) => n.endsWith('.json'));
    } catch {
      // No run has written a marker yet.
    }
    for (const name of names) {
      const marker = readMarker(`${runsDir()}/${name}`);
      if (marker && descendsFrom(marker.run.pid, launcherPid)) return marker;
    }
    await pause(100);
  }
  return undefined;
}

export interface Leftovers {
  /** The run's labelled namespaces, Terminating ones included ("name=phase"). */
  namespaces: string[];
  /** Nodes still cordoned for one of the run's scenarios. */
  cordoned: string[];
  /** Node containers of the kind cluster the run created. */
  clusterNodes: string[];
  reaperAlive: boolean;
  markerLeft: boolean;
}

export const nothingLeft = (left: Leftovers): boolean =>
  left.namespaces.length === 0 && left.cordoned.length === 0 && left.clusterNodes.length === 0 && !left.reaperAlive && !left.markerLeft;

export async function leftoversOf(marker: RunMarker, clients: KubeClients | undefined, createdCluster?: string): Promise<Leftovers> {
  const runId = marker.runId;
  const prefix = namespaceName(runId, 0).replace(/0$/, '');
  const [namespaces, nodes, clusterNodes] = await Promise.all([
    clients ? listRunNamespaces(clients, runId).then((list) => list.map((ns) => `${ns.metadata?.name}=${ns.status?.phase}`)) : Promise.resolve([]),
    clients ? clients.core.listNode().then((list) => list.items) : Promise.resolve([]),
    createdCluster ? kindNodeContainers(createdCluster).then((ids) => ids ?? ['(engine not answering)']) : Promise.resolve([]),
  ]);
  return {
    namespaces,
    cordoned: nodes.filter((n) => n.spec?.unschedulable && n.metadata?.annotations?.[CORDONED_FOR_ANNOTATION]?.startsWith(prefix)).map((n) => n.metadata?.name ?? ''),
    clusterNodes,
    reaperAlive: marker.reaper ? isRunning(marker.reaper) : false,
    markerLeft: readMarker(markerPath(runId)) !== undefined,
  };
}

/** Polls until nothing of the run is left or `timeoutMs` passes; returns the last look and when it was clean. */
export async function waitUntilClean(marker: RunMarker, context: string, timeoutMs: number, createdCluster?: string): Promise<{ left: Leftovers; cleanAfterMs?: number }> {
  const startedAt = Date.now();
  const clients = context ? connect(context, '', { requestTimeoutMs: 5_000 }) : undefined;
  let left: Leftovers | undefined;
  while (Date.now() - startedAt < timeoutMs) {
    left = await leftoversOf(marker, clients, createdCluster).catch(() => left);
    if (left && nothingLeft(left)) return { left, cleanAfterMs: Date.now() - startedAt };
    await pause(1_000);
  }
  return { left: left ?? (await leftoversOf(marker, clients, createdCluster)) };
}
