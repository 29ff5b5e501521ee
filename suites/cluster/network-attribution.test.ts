// Network attribution without the app's help: the kind node's conntrack table names the pod each connection to the
// NodePort reached, and agrees with the sample app's own x-drainspec-pod header about which pods served and when.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { serverSideApply } from '../../harness/k8s/apply.ts';
import { connect, type KubeClients } from '../../harness/k8s/client.ts';
import { createRunNamespace, type RunNamespace } from '../../harness/k8s/namespace.ts';
import { measureClockOffset } from '../../harness/k8s/api-server-clock.ts';
import type { ClockOffset } from '../../harness/k8s/clock-offset.ts';
import { observeApp, type Observation } from '../../harness/k8s/observe.ts';
import { fireTrigger, listAppPods, waitAvailable, waitSettled, type AppRef } from '../../harness/k8s/rollout.ts';
import { appDeployment, appService, type AppSpec } from '../../harness/k8s/templates.ts';
import { waitFor } from '../../harness/k8s/wait.ts';
import { startAccountedLoad } from '../../harness/load/accounted-load.ts';
import type { ConnectionEvidence, ConnectionTrace, RequestRecord } from '../../harness/model/run-data.ts';
import { startConnectionSampler } from '../../harness/network/index.ts';
import { waitServedByAll } from '../../harness/run/nodeport-ready.ts';
import { newRunId } from '../../harness/run/run-id.ts';

const NODE_PORT = 30088;
const SAMPLE_INTERVAL_MS = 250;
/**
 * Beyond one sample interval: the node's clock vs the client's receive time, docker-proxy's relay and the client's
 * event loop under load (each a few ms), and a closing FIN/ACK that grows the counters just after the last response.
 */
const TOLERANCE_MS = 150;

let clients: KubeClients;
let namespace: RunNamespace;
let observation: Observation | undefined;
const app: AppRef = { namespace: '', name: 'app' };
/** The pod the first test deletes mid-run. */
let deletedPod = '';
let clock: ClockOffset;

interface Window {
  firstMs: number;
  lastMs: number;
}

/** Per pod, when the header says it served: first request start, last response end. */
function servedWindows(records: readonly RequestRecord[]): Map<string, Window> {
  const windows = new Map<string, Window>();
  for (const r of records) {
    if (r.outcome !== 'ok' || !r.pod || r.endMs === undefined) continue;
    const w = windows.get(r.pod);
    windows.set(r.pod, { firstMs: Math.min(w?.firstMs ?? Infinity, r.startMs), lastMs: Math.max(w?.lastMs ?? -Infinity, r.endMs) });
  }
  return windows;
}

/** Per pod, when conntrack saw its connections' counters grow. */
function activeWindows(pods: Record<string, ConnectionTrace[]>): Map<string, Window> {
  const windows = new Map<string, Window>();
  for (const [pod, traces] of Object.entries(pods)) {
    const active = traces.flatMap((t) => t.activeAtMs);
    if (active.length > 0) windows.set(pod, { firstMs: Math.min(...active), lastMs: Math.max(...active) });
  }
  return windows;
}

beforeAll(async () => {
  clients = connect(inject('kubeContext'));
  namespace = await createRunNamespace(clients, newRunId(), 8);
  app.namespace = namespace.name;
  const spec: AppSpec = {
    name: 'app', namespace: namespace.name, image: inject('sampleAppImage'), containerPort: 8080, nodePort: NODE_PORT, replicas: 3,
    env: { DRAINSPEC_VARIANT: 'graceful', DRAIN_DELAY_MS: '2000' }, readinessPath: '/readyz', terminationGracePeriodSeconds: 15,
    preStopSleepSeconds: 0, strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
  };
  await serverSideApply(clients, appDeployment(spec));
  await serverSideApply(clients, appService(spec));
  await waitAvailable(clients, app, 3, 120_000);
  clock = await measureClockOffset(clients);
  observation = observeApp(clients, app, { clockOffsetMs: clock.offsetMs });
  const pods = (await listAppPods(clients, app)).map((p) => p.metadata?.name ?? '');
  await waitServedByAll(`http://127.0.0.1:${NODE_PORT}`, pods, 30_000);
});

afterAll(async () => {
  await observation?.stop();
  await namespace?.delete();
});

describe('conntrack attribution on kind', () => {
  test('the API server\'s clock, measured through its Date header, is the harness clock (kind shares the host\'s)', () => {
    console.log(`clock offset ${clock.offsetMs} ± ${clock.uncertaintyMs} ms from ${clock.samples} requests`);
    expect(clock.uncertaintyMs).toBeLessThanOrEqual(50);
    expect(Math.abs(clock.offsetMs)).toBeLessThanOrEqual(clock.uncertaintyMs);
  });

  test('the pods conntrack saw connections reach are the pods the app says served, over the same windows', async () => {
    const sampler = await startConnectionSampler({
      nodeContainer: `${inject('clusterName')}-control-plane`, nodePort: NODE_PORT, podByIp: () => observation!.podByIp(),
      intervalMs: SAMPLE_INTERVAL_MS, maxDurationMs: 180_000,
    });
    const records: RequestRecord[] = [];
    // Paced, so that the 2-core machine is not saturated: 6 keep-alive sockets (~100 req/s), which stay with the pods
    // they reached, and 2 fresh-connection workers (~20 req/s), which reach the replacement pod too.
    const load = startAccountedLoad({
      baseUrl: `http://127.0.0.1:${NODE_PORT}`, requestTimeoutMs: 5_000, maxDurationMs: 120_000, maxRequests: 100_000, onRecord: (r) => records.push(r),
      populations: [{ client: 'keepalive', path: '/', workers: 6, pauseMs: 60 }, { client: 'fresh', path: '/', workers: 2, pauseMs: 100 }],
    });
    let evidence: ConnectionEvidence;
    try {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      // One pod leaves mid-run (it drains, closing its keep-alive sockets): its activity must end when its serving does.
      const before = new Set((await listAppPods(clients, app)).map((p) => p.metadata?.name ?? ''));
      const replaced = await fireTrigger(clients, app, 'pod-delete', { alternateImage: '' });
      deletedPod = replaced[0] ?? '';
      await waitSettled(clients, app, 3, replaced, 120_000);
      const replacement = (await listAppPods(clients, app)).map((p) => p.metadata?.name ?? '').find((pod) => !before.has(pod));
      await waitFor(async () => (records.filter((r) => r.pod === replacement && r.outcome === 'ok').length >= 10 ? true : undefined), { what: `the replacement ${replacement} to serve`, timeoutMs: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      await load.stop();
      evidence = await sampler.stop();
    }

    expect(evidence.source, evidence.source === 'none' ? evidence.reason : '').toBe('conntrack');
    if (evidence.source !== 'conntrack') return;
    const served = servedWindows(records);
    const active = activeWindows(evidence.pods);
    const report = [...served].map(([pod, s]) => {
      const a = active.get(pod);
      return { pod, servedFirst: s.firstMs, activeFirst: a?.firstMs, servedLast: s.lastMs, activeLast: a?.lastMs, lastDeltaMs: a ? a.lastMs - s.lastMs : undefined, firstDeltaMs: a ? a.firstMs - s.firstMs : undefined };
    });
    const connections = Object.fromEntries(Object.entries(evidence.pods).map(([pod, traces]) => [pod, traces.length]));
    console.log(`network attribution: ${records.length} requests, connections per pod ${JSON.stringify(connections)}\n${report.map((r) => JSON.stringify(r)).join('\n')}`);

    // Every connection was attributed to a watched pod, and the same four pods (three, one replaced) are named.
    expect(Object.keys(evidence.pods).filter((k) => k.startsWith('ip:'))).toEqual([]);
    expect([...active.keys()].sort()).toEqual([...served.keys()].sort());
    expect(served.size).toBe(4);
    // Activity shows in the first sample after traffic passed, so within one interval after it (+ tolerance); a
    // listing taken while the table churns can miss an entry (kernel dumps are not atomic), hiding at most one
    // sample's growth, so also within one interval before it.
    // One interval is the interval as the node took the samples: a busy 2-core machine (CI runs other suites'
    // clean-up meanwhile) can stretch it, and the evidence records by how much.
    const withinOneSample = Math.max(SAMPLE_INTERVAL_MS, evidence.maxSampleGapMs ?? SAMPLE_INTERVAL_MS) + TOLERANCE_MS;
    for (const row of report) {
      expect(Math.abs(row.firstDeltaMs ?? Infinity), `${row.pod} first activity vs first request: ${JSON.stringify(row)}, max sample gap ${evidence.maxSampleGapMs} ms`).toBeLessThanOrEqual(withinOneSample);
      expect(Math.abs(row.lastDeltaMs ?? Infinity), `${row.pod} last activity vs last response: ${JSON.stringify(row)}, max sample gap ${evidence.maxSampleGapMs} ms`).toBeLessThanOrEqual(withinOneSample);
    }
  });

  test('Kubernetes\' own evidence of the deleted pod: kill deadline, grace, preStop, exit, placement', () => {
    const events = observation!.pods.filter((e) => e.pod === deletedPod);
    const terminating = events.find((e) => e.kind === 'terminating');
    const terminated = events.find((e) => e.kind === 'terminated');
    const placed = events.find((e) => e.podIP);
    console.log(`deleted pod ${deletedPod}: ${JSON.stringify(events)}`);
    // deletionTimestamp is whole seconds: the deadline is request + 15 s, truncated, seen a few ms after the request.
    expect(terminating).toMatchObject({ gracePeriodSeconds: 15, preStop: 'none' });
    expect(terminating!.killDeadlineAtMs! - terminating!.atMs).toBeGreaterThan(15_000 - 1_100);
    expect(terminating!.killDeadlineAtMs! - terminating!.atMs).toBeLessThanOrEqual(15_000 + clock.uncertaintyMs);
    // The graceful app exits 0 after its drain, long before the deadline. finishedAt is truncated to the second, and
    // the watch hears of the exit up to ~1 s later still (the kubelet's PLEG relists every second).
    expect(terminated).toMatchObject({ exitCode: 0 });
    expect(terminated!.atMs - terminated!.finishedAtMs!).toBeGreaterThanOrEqual(-clock.uncertaintyMs);
    expect(terminated!.atMs - terminated!.finishedAtMs!).toBeLessThan(2_500);
    expect(terminated!.finishedAtMs!).toBeLessThan(terminating!.killDeadlineAtMs!);
    expect(placed?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(placed?.node).toMatch(/^drainspec-worker/);
    expect(observation!.podByIp().get(placed!.podIP!)).toBe(deletedPod);
  });
});
