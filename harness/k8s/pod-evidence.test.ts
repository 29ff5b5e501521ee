import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { createPodEvidence, describePreStop } from './pod-evidence.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodShape {
  ready?: boolean;
  ip?: string;
  node?: string;
  deletion?: { atMs: number; graceSeconds: number };
  preStop?: NonNullable<NonNullable<V1Pod['spec']>['containers'][number]['lifecycle']>['preStop'];
  restartCount?: number;
  running?: boolean;
  terminated?: { exitCode: number; reason: string; finishedAtMs: number; id?: string };
  lastTerminated?: { exitCode: number; reason: string; finishedAtMs: number; id?: string };
}

/** A pod as a watch event delivers it: raw JSON, timestamps as RFC 3339 strings. */
function pod(name: string, shape: PodShape): V1Pod {
  const terminated = (t: PodShape['terminated']) => t && { exitCode: t.exitCode, reason: t.reason, finishedAt: iso(t.finishedAtMs), containerID: `containerd://${t.id ?? 'c1'}` };
  return {
    metadata: {
      name,
      ...(shape.deletion ? { deletionTimestamp: iso(shape.deletion.atMs) as unknown as Date, deletionGracePeriodSeconds: shape.deletion.graceSeconds } : {}),
    },
    spec: {
      ...(shape.node ? { nodeName: shape.node } : {}),
      containers: [{ name: 'sidecar', image: 's' }, { name: 'app', image: 'a', ...(shape.preStop ? { lifecycle: { preStop: shape.preStop } } : {}) }],
    },
    status: {
      ...(shape.ip ? { podIP: shape.ip } : {}),
      conditions: [{ type: 'Ready', status: shape.ready ? 'True' : 'False' }],
      containerStatuses: [{
        name: 'app', image: 'a', imageID: '', ready: shape.ready === true, restartCount: shape.restartCount ?? 0,
        state: shape.terminated ? { terminated: terminated(shape.terminated) as never } : shape.running === false ? { waiting: { reason: 'ContainerCreating' } } : { running: {} },
        ...(shape.lastTerminated ? { lastState: { terminated: terminated(shape.lastTerminated) as never } } : {}),
      }],
    },
  } as V1Pod;
}

const evidence = (offsetMs = 0) => createPodEvidence({ container: 'app', observedFromMs: T0, toHarnessMs: (apiMs) => apiMs - offsetMs });

describe('pod events from Kubernetes', () => {
  test('IP and node ride on the first ready event when the pod had none at creation', () => {
    const e = evidence();
    expect(e.update('ADDED', pod('app-1', { running: false }), T0)).toEqual([{ pod: 'app-1', kind: 'created', atMs: T0 }]);
    expect(e.update('MODIFIED', pod('app-1', { ready: true, ip: '10.244.1.7', node: 'worker' }), T0 + 900)).toEqual([
      { pod: 'app-1', kind: 'ready', atMs: T0 + 900, podIP: '10.244.1.7', node: 'worker' },
    ]);
    expect(e.podByIp.get('10.244.1.7')).toBe('app-1');
    // Later readiness flips do not repeat them.
    expect(e.update('MODIFIED', pod('app-1', { ready: false, ip: '10.244.1.7', node: 'worker' }), T0 + 950)).toEqual([{ pod: 'app-1', kind: 'unready', atMs: T0 + 950 }]);
    expect(e.update('MODIFIED', pod('app-1', { ready: true, ip: '10.244.1.7', node: 'worker' }), T0 + 990)).toEqual([{ pod: 'app-1', kind: 'ready', atMs: T0 + 990 }]);
  });

  test('a pod first seen running carries its IP and node on created', () => {
    const [created, ready] = evidence().update('ADDED', pod('app-1', { ready: true, ip: '10.244.2.3', node: 'worker2' }), T0);
    expect(created).toEqual({ pod: 'app-1', kind: 'created', atMs: T0, podIP: '10.244.2.3', node: 'worker2' });
    expect(ready).toEqual({ pod: 'app-1', kind: 'ready', atMs: T0 });
  });

  test('terminating carries the SIGKILL deadline on the harness clock, the grace period and the preStop hook', () => {
    const e = evidence(2_000); // the API server's clock runs 2 s ahead
    e.update('ADDED', pod('app-1', { ready: true, ip: '10.244.1.7' }), T0);
    const deadlineApiMs = T0 + 5_000 + 15_000;
    expect(e.update('MODIFIED', pod('app-1', { ready: true, deletion: { atMs: deadlineApiMs, graceSeconds: 15 }, preStop: { sleep: { seconds: 5 } } }), T0 + 3_010)).toEqual([
      { pod: 'app-1', kind: 'terminating', atMs: T0 + 3_010, killDeadlineAtMs: deadlineApiMs - 2_000, gracePeriodSeconds: 15, preStop: 'sleep 5s' },
    ]);
    // Once only.
    expect(e.update('MODIFIED', pod('app-1', { ready: false, deletion: { atMs: deadlineApiMs, graceSeconds: 15 } }), T0 + 3_100)).toEqual([{ pod: 'app-1', kind: 'unready', atMs: T0 + 3_100 }]);
  });

  test('terminated carries exit code, reason and the kubelet finishedAt on the harness clock', () => {
    const e = evidence(-500);
    e.update('ADDED', pod('app-1', { ready: true }), T0);
    const finishedAtMs = T0 + 20_000;
    expect(e.update('MODIFIED', pod('app-1', { terminated: { exitCode: 137, reason: 'Error', finishedAtMs } }), T0 + 20_300)).toEqual([
      { pod: 'app-1', kind: 'unready', atMs: T0 + 20_300 },
      { pod: 'app-1', kind: 'terminated', atMs: T0 + 20_300, exitCode: 137, reason: 'Error', finishedAtMs: finishedAtMs + 500 },
    ]);
    // Repeated status updates and the final DELETED object do not repeat it.
    expect(e.update('MODIFIED', pod('app-1', { terminated: { exitCode: 137, reason: 'Error', finishedAtMs } }), T0 + 20_400)).toEqual([]);
    expect(e.update('DELETED', pod('app-1', { terminated: { exitCode: 137, reason: 'Error', finishedAtMs } }), T0 + 20_500)).toEqual([{ pod: 'app-1', kind: 'deleted', atMs: T0 + 20_500 }]);
  });

  test('a restart before observation is history: the later real SIGKILL is the exit reported', () => {
    const e = evidence();
    const oldExit = { exitCode: 1, reason: 'Error', finishedAtMs: T0 - 60_000, id: 'old' };
    expect(e.update('ADDED', pod('app-1', { ready: true, restartCount: 1, lastTerminated: oldExit }), T0).map((x) => x.kind)).toEqual(['created', 'ready']);
    const kill = { exitCode: 137, reason: 'Error', finishedAtMs: T0 + 30_000, id: 'new' };
    const events = e.update('MODIFIED', pod('app-1', { restartCount: 1, lastTerminated: oldExit, terminated: kill }), T0 + 30_200);
    expect(events.filter((x) => x.kind === 'terminated')).toEqual([{ pod: 'app-1', kind: 'terminated', atMs: T0 + 30_200, exitCode: 137, reason: 'Error', finishedAtMs: T0 + 30_000 }]);
  });

  test('a restart during observation counts even when the watch never saw the container terminated', () => {
    const e = evidence();
    e.update('ADDED', pod('app-1', { ready: true, restartCount: 0 }), T0);
    const crash = { exitCode: 2, reason: 'Error', finishedAtMs: T0 + 4_000, id: 'first' };
    const events = e.update('MODIFIED', pod('app-1', { ready: true, restartCount: 1, lastTerminated: crash }), T0 + 4_500);
    expect(events).toEqual([{ pod: 'app-1', kind: 'terminated', atMs: T0 + 4_500, exitCode: 2, reason: 'Error', finishedAtMs: T0 + 4_000 }]);
  });

  test('an exit that finished before observation began is not this run\'s', () => {
    const e = evidence();
    const old = { exitCode: 0, reason: 'Completed', finishedAtMs: T0 - 5_000 };
    expect(e.update('ADDED', pod('app-1', { terminated: old }), T0).map((x) => x.kind)).toEqual(['created']);
    // Within the second before it (finishedAt is truncated to the second): it counts.
    const recent = { exitCode: 143, reason: 'Error', finishedAtMs: T0 - 800 };
    expect(evidence().update('ADDED', pod('app-2', { terminated: recent }), T0).map((x) => x.kind)).toEqual(['created', 'terminated']);
  });

  test('a list result (timestamps as Date) reads like a watch event', () => {
    const e = evidence();
    e.update('ADDED', pod('app-1', { ready: true }), T0);
    const listed = pod('app-1', { ready: true, deletion: { atMs: T0 + 30_000, graceSeconds: 30 } });
    listed.metadata!.deletionTimestamp = new Date(T0 + 30_000);
    expect(e.update('MODIFIED', listed, T0 + 10)[0]).toMatchObject({ kind: 'terminating', killDeadlineAtMs: T0 + 30_000, gracePeriodSeconds: 30, preStop: 'none' });
  });
});

describe('preStop descriptions', () => {
  test.each([
    [{ sleep: { seconds: 5 } }, 'sleep 5s'],
    [{ exec: { command: ['sh', '-c', 'sleep 5'] } }, 'exec: sh -c sleep 5'],
    [{ exec: {} }, 'exec'],
    [{ httpGet: { path: '/drain', port: 8080 as never } }, 'httpGet /drain'],
    [{ tcpSocket: { port: 8080 as never } }, 'tcpSocket'],
    [undefined, 'none'],
  ])('%j → %s', (preStop, expected) => {
    expect(describePreStop({ name: 'app', ...(preStop ? { lifecycle: { preStop } } : {}) })).toBe(expected);
  });
});
