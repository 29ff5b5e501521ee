// The run's lifecycle guard. From the run's first step: a marker and a reaper (so a run that is killed leaves nothing
// behind), and, once there is a cluster, a Lease in each of its namespaces (so a run on another machine can tell it
// is gone). Signals: the first SIGINT, SIGTERM or SIGHUP — or the same from the launch chain (launch-chain.ts) —
// aborts the run and removes what it made within STOP_BUDGET_MS, then exits 128 + the signal's number; a second
// one exits at once and leaves the rest to the reaper.
import type { DrainspecConfig } from '../config/defaults.ts';
import type { KubeClients } from '../k8s/client.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { cleanupRun, kindNodeContainers, type CleanupResult } from '../reaper/cleanup.ts';
import { removeMarker, writeMarker, type RunFootprint, type RunMarker } from '../reaper/footprint.ts';
import { startLeaseRenewer, type LeaseRenewer } from '../reaper/lease.ts';
import { reapOrphanedRuns } from '../reaper/orphans.ts';
import { findProcesses, identityOf } from '../reaper/proc.ts';
import { startReaper, type Reaper } from '../reaper/reaper.ts';
import { InterruptedError, SIGNAL_EXIT_CODES, type StopSignal } from './interrupted.ts';
import { onLaunchChainSignal, type ChainSignal } from './launch-chain.ts';

/**
 * From the first signal to exit: cleanup gets 9 s, the process exits by 9.5 s whatever cleanup is doing, and by 10 s
 * the reaper SIGKILLs it if it is still there (an event loop blocked, an exit stuck), then finishes the cleanup.
 */
export const STOP_BUDGET_MS = 9_000;
const EXIT_BY_MS = 9_500;
const KILLED_BY_MS = 10_000;
/**
 * A launch-chain signal this soon after a real one is the same event: a terminal's Ctrl-C or `timeout` signals the
 * whole process group, so drainspec gets it and npm's shell too (woken, or killed).
 */
const SAME_INTERRUPT_MS = 2_000;

export interface RunGuard extends AsyncDisposable {
  /** Aborts on the first signal: every wait of the run takes it. */
  signal: AbortSignal;
  /**
   * The target (a `Target`) is open: record where the run's namespaces live and whether it created the kind
   * cluster; start the lease on the API server's clock (`clockOffsetMs`: API server − harness).
   */
  targetOpened(target: { clients: KubeClients; environment: { clockOffsetMs?: number } }): Promise<void>;
}

export interface RunGuardOptions {
  runId: string;
  config: DrainspecConfig;
  progress: ProgressSink;
  /**
   * The CLI owns its process: signals stop the run and exit it. A library caller (a user's vitest worker, a script)
   * does not: it stops the run through its own AbortSignal, and the reaper and lease still cover a SIGKILL.
   */
  handleProcessSignals: boolean;
}

function describe(result: CleanupResult): string {
  const parts = [
    result.clusterDeleted && `deleted kind cluster ${result.clusterDeleted}`,
    result.namespaces.length > 0 && `deleting namespaces ${result.namespaces.join(', ')}`,
    result.uncordoned.length > 0 && `uncordoned ${result.uncordoned.join(', ')}`,
  ].filter(Boolean);
  return parts.join('; ') || 'nothing to remove';
}

/** Children still running (kind create, kubectl wait, docker save…) end with the run; the reaper is not one of them. */
function terminateChildren(except: number): void {
  for (const pid of findProcesses((stat) => stat.ppid === process.pid && stat.pid !== except)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

export async function startRunGuard(options: RunGuardOptions): Promise<RunGuard> {
  const { runId, config, progress } = options;
  const controller = new AbortController();
  await reapOrphanedRuns({ budgetMs: 20_000, log: (line) => progress.line(`cleanup: ${line}`) });

  const footprint: RunFootprint = { runId };
  let nodesBefore: string[] | undefined;
  if (config.provider === 'kind') {
    // No node container of that name yet: the run will create the cluster. Engine not answering: unknown, so never
    // treated as created (a cluster is deleted only when this run surely created it).
    nodesBefore = await kindNodeContainers(config.cluster.name);
    footprint.cluster = { name: config.cluster.name, createdByRun: nodesBefore?.length === 0, keep: config.cluster.keep, ready: false };
  }
  const marker: RunMarker = { runId, run: identityOf(process.pid), startedAt: new Date().toISOString(), footprint };
  writeMarker(marker);
  const reaper: Reaper = startReaper(runId);
  marker.reaper = identityOf(reaper.pid);
  writeMarker(marker);

  let lease: LeaseRenewer | undefined;
  /** The stop under way: it ends the process, so whatever awaits it (the run's own unwinding) never resumes. */
  let stopping: Promise<never> | undefined;
  let lastRealSignalAt = 0;

  const stopAndExit = async (name: StopSignal, why: string): Promise<never> => {
    const startedAt = Date.now();
    // A hung-up terminal makes every later write fail: that must not end the cleanup.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    progress.line(`${name}${why ? ` (${why})` : ''}: stopping, removing what this run made (again to exit at once)`);
    reaper.stopBy(startedAt + KILLED_BY_MS);
    controller.abort(new InterruptedError(name));
    setTimeout(() => process.exit(SIGNAL_EXIT_CODES[name]), EXIT_BY_MS).unref();
    terminateChildren(reaper.pid);
    void lease?.stop();
    const result = await cleanupRun(footprint, { deadlineAt: startedAt + STOP_BUDGET_MS, waitGone: false, log: (line) => progress.line(`cleanup: ${line}`) })
      .catch((error: unknown): CleanupResult => ({ complete: false, namespaces: [], uncordoned: [], problems: [(error as Error).message] }));
    if (result.complete) removeMarker(runId);
    const rest = result.complete ? '' : `; the reaper (pid ${reaper.pid}) finishes: ${result.problems.join('; ') || 'out of time'}`;
    progress.line(`stopped in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${describe(result)}${rest}`);
    process.exit(SIGNAL_EXIT_CODES[name]);
  };
  const stop = (name: StopSignal, why: string) => {
    if (stopping) {
      progress.line(`${name}: exiting at once; the reaper (pid ${reaper.pid}) removes what is left`);
      process.exit(SIGNAL_EXIT_CODES[name]);
    }
    stopping = stopAndExit(name, why);
  };
  const onSignal = (name: NodeJS.Signals) => {
    lastRealSignalAt = Date.now();
    stop(name as StopSignal, '');
  };
  const onChainSignal = (name: ChainSignal, why: string) => {
    if (Date.now() - lastRealSignalAt < SAME_INTERRUPT_MS) return;
    stop(name, why);
  };
  const signals: StopSignal[] = options.handleProcessSignals ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : [];
  for (const name of signals) process.on(name, onSignal);
  const stopChain = options.handleProcessSignals ? onLaunchChainSignal(onChainSignal) : () => undefined;

  return {
    signal: controller.signal,
    async targetOpened({ clients, environment }) {
      footprint.context = clients.context;
      footprint.kubeconfig = config.provider === 'existing' ? config.existing.kubeconfig : '';
      if (footprint.cluster) {
        const nodesNow = (await kindNodeContainers(footprint.cluster.name)) ?? [];
        footprint.cluster.createdByRun = nodesBefore !== undefined && nodesNow.length > 0 && nodesNow.every((id) => !nodesBefore?.includes(id));
        footprint.cluster.ready = true;
      }
      writeMarker(marker);
      lease = startLeaseRenewer(clients, runId, { clockOffsetMs: environment.clockOffsetMs ?? 0, log: (line) => progress.line(line) });
    },
    async [Symbol.asyncDispose]() {
      // Stopping on a signal: its cleanup and exit are under way, with the signal handlers still in place.
      if (stopping) await stopping;
      await lease?.stop();
      // The run has removed what it made (its finally blocks); this checks, and leaves what is not gone to the reaper.
      const result = await cleanupRun(footprint, { deadlineAt: Date.now() + 15_000, waitGone: false, log: (line) => progress.line(`cleanup: ${line}`) })
        .catch((): undefined => undefined);
      if (result?.complete) removeMarker(runId);
      else progress.line(`cleanup: not everything is gone; the reaper (pid ${reaper.pid}) finishes it`);
      for (const name of signals) process.off(name, onSignal);
      stopChain();
      reaper.release();
    },
  };
}
