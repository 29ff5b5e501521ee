// A run that is SIGKILLed leaves nothing behind: its reaper removes its namespaces, or the kind cluster it was
// creating, within 60 s (the CI smoke of `npm run chaos`). And from the cluster alone, runs whose leases lapsed are
// found and removed — only they.
import { afterAll, describe, expect, inject, test } from 'vitest';
import { connect } from '../../harness/k8s/client.ts';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../../harness/k8s/namespace.ts';
import { listRunNamespaces, kindNodeContainers } from '../../harness/reaper/cleanup.ts';
import { killTrial } from '../../harness/reaper/chaos/kill-run.ts';
import { lapsedRuns, reapLapsedRuns } from '../../harness/reaper/lapsed-runs.ts';
import { runLease, RUN_LEASE } from '../../harness/reaper/lease.ts';
import { newRunId } from '../../harness/run/run-id.ts';

const context = inject('kubeContext');
const clients = connect(context);
const CLEAN_WITHIN_MS = 60_000;
const logDir = `reports/tests/reaper-${newRunId()}`;
const figures: string[] = [];

afterAll(() => {
  console.log(`SIGKILL → nothing left:\n${figures.join('\n')}`);
});

describe('a SIGKILLed run leaves nothing behind', () => {
  test('killed mid-scenario: its reaper deletes its namespace (and exits) within 60 s', async () => {
    const outcome = await killTrial({
      args: ['bin/drainspec.js', 'run', '--provider', 'existing', '--context', context, '--sample-image', inject('sampleAppImage'), '--scenario', 'graceful/pod-delete/keepalive', '--report', `${logDir}/reports`],
      killAtMs: 120_000, killWhen: async (runId) => (await listRunNamespaces(clients, runId)).length > 0,
      context, cleanWithinMs: CLEAN_WITHIN_MS, logPath: `${logDir}/run.log`,
    });
    figures.push(`run on ${context}: SIGKILL at ${((outcome.killedAtMs ?? 0) / 1000).toFixed(1)} s, clean after ${((outcome.cleanAfterMs ?? NaN) / 1000).toFixed(1)} s`);
    expect(outcome.killedAtMs, outcome.phase).toBeDefined();
    expect(outcome.left).toMatchObject({ namespaces: [], cordoned: [], reaperAlive: false, markerLeft: false });
    expect(outcome.cleanAfterMs).toBeLessThan(CLEAN_WITHIN_MS);
  });

  test('killed while `kind create` runs: its reaper stops kind and deletes the half-made cluster within 60 s', async () => {
    const name = 'drainspec-reaper-test';
    const outcome = await killTrial({
      args: ['harness/reaper/chaos/cluster-run.ts', name], killAtMs: 120_000, killWhen: async () => ((await kindNodeContainers(name)) ?? []).length > 0,
      context: '', createdCluster: name, cleanWithinMs: CLEAN_WITHIN_MS, logPath: `${logDir}/cluster-run.log`,
    });
    figures.push(`run creating kind cluster ${name}: SIGKILL at ${((outcome.killedAtMs ?? 0) / 1000).toFixed(1)} s ("${outcome.phase}"), clean after ${((outcome.cleanAfterMs ?? NaN) / 1000).toFixed(1)} s`);
    expect(outcome.killedAtMs, outcome.phase).toBeDefined();
    expect(outcome.left).toMatchObject({ clusterNodes: [], reaperAlive: false, markerLeft: false });
    expect(await kindNodeContainers(name)).toEqual([]);
  });
});

describe('runs judged from the cluster alone', () => {
  const lapsed = newRunId();
  const live = newRunId();
  const control = `drainspec-unlabelled-${newRunId()}`;

  afterAll(async () => {
    for (const name of [`drainspec-${lapsed}-0`, `drainspec-${live}-0`, control]) await clients.core.deleteNamespace({ name }).catch(() => undefined);
  });

  test('a run whose lease lapsed is found and removed; a renewing run and an unlabelled namespace are not', async () => {
    const make = async (runId: string, renewedAgoMs: number) => {
      const namespace = `drainspec-${runId}-0`;
      await clients.core.createNamespace({ body: { metadata: { name: namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId } } } });
      await clients.coordination.createNamespacedLease({ namespace, body: runLease(runId, namespace, Date.now() - renewedAgoMs, Date.now() - 600_000) });
    };
    await make(lapsed, 2 * 60_000);
    await make(live, 1_000);
    await clients.core.createNamespace({ body: { metadata: { name: control, labels: { [RUN_ID_LABEL]: lapsed } } } });
    // The lease's times go over the wire with microseconds, as the API requires (and come back as that string).
    const stored = await clients.coordination.readNamespacedLease({ name: RUN_LEASE.name, namespace: `drainspec-${live}-0` });
    expect(String(stored.spec?.renewTime)).toMatch(/\.\d{6}Z$/);
    expect(new Date(stored.spec?.renewTime ?? 0).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const found = await lapsedRuns(clients, { clockOffsetMs: 0 });
    expect(found.find((r) => r.runId === lapsed)).toMatchObject({ namespaces: [`drainspec-${lapsed}-0`], reason: expect.stringMatching(/^lease last renewed 2m0\ds ago by /) });
    expect(found.map((r) => r.runId)).not.toContain(live);

    const reaped = await reapLapsedRuns(clients, { clockOffsetMs: 0, log: () => undefined });
    expect(reaped.find((r) => r.runId === lapsed)?.result.complete).toBe(true);
    const phase = async (name: string) => (await clients.core.readNamespace({ name })).status?.phase;
    expect(await phase(`drainspec-${lapsed}-0`)).toBe('Terminating');
    expect(await phase(`drainspec-${live}-0`)).toBe('Active');
    expect(await phase(control)).toBe('Active');
  });
});
