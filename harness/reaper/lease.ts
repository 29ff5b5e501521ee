// The run's heartbeat on the cluster, readable from anywhere: a Lease (coordination.k8s.io/v1) in each of its
// namespaces, renewed every few seconds. Times are written on the API server's clock (harness clock + the offset
// measured against the server), so a reader on another machine compares them with its own offset, not its own
// clock. A namespace whose run stopped renewing is found by lapsed-runs.ts.
import { PatchStrategy, setHeaderOptions, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { hostname } from 'node:os';
import { apiErrorReason, type KubeClients } from '../k8s/client.ts';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../k8s/namespace.ts';
import { listRunNamespaces } from './cleanup.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export const RUN_LEASE = {
  name: 'drainspec-run',
  durationSeconds: 20,
  renewIntervalMs: 5_000,
} as const;

export interface LeaseRenewer extends AsyncDisposable {
  /** Renews at once (otherwise every renewIntervalMs). */
  renew(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaseOptions {
  /** API server clock − harness clock (`ClusterEnvironment.clockOffsetMs`). */
  clockOffsetMs: number;
  log(line: string): void;
}

export function runLease(runId: string, namespace: string, renewAtMs: number, acquiredAtMs: number): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: RUN_LEASE.name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId } },
    spec: {
      holderIdentity: `${hostname()}/${process.pid}`,
      leaseDurationSeconds: RUN_LEASE.durationSeconds,
      acquireTime: new V1MicroTime(acquiredAtMs),
      renewTime: new V1MicroTime(renewAtMs),
    },
  };
}

/** Keeps a fresh Lease in every namespace of the run until stopped; one failure is said once, never thrown. */
export function startLeaseRenewer(clients: KubeClients, runId: string, options: LeaseOptions): LeaseRenewer {
  const acquiredAtMs = Date.now() + options.clockOffsetMs;
  const said = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const renewIn = async (namespace: string) => {
    const lease = runLease(runId, namespace, Date.now() + options.clockOffsetMs, acquiredAtMs);
    try {
      // A merge patch needs no resourceVersion (an update of a Lease does).
      await clients.coordination.patchNamespacedLease({ name: RUN_LEASE.name, namespace, body: { spec: lease.spec } }, mergePatch);
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      await clients.coordination.createNamespacedLease({ namespace, body: lease });
    }
  };
  const renew = async () => {
    try {
      const namespaces = (await listRunNamespaces(clients, runId)).filter((ns) => !ns.metadata?.deletionTimestamp);
      await Promise.all(namespaces.map((ns) => renewIn(ns.metadata?.name ?? '')));
    } catch (error) {
      const reason = apiErrorReason(error);
      if (!said.has(reason)) options.log(`lease: cannot renew this run's Lease (${reason}); after a crash its namespaces are removed by the next run only once they are old`);
      said.add(reason);
    }
  };
  const tick = () => {
    running = running.then(renew);
  };
  const timer = setInterval(tick, RUN_LEASE.renewIntervalMs);
  timer.unref();
  tick();
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    await running;
  };
  return { renew: () => (tick(), running), stop, [Symbol.asyncDispose]: stop };
}
