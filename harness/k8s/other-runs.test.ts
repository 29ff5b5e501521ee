import type { V1Namespace, V1Service } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from './namespace.ts';
import type { KubeClients } from './client.ts';
import { chooseFreePorts, onFreeNodePort, pickNodePort } from './node-ports.ts';
import { describeRun, otherRunsOf, STALE_RUN_AFTER_MS } from './other-runs.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ns = (name: string, ageMs: number, labels: Record<string, string>, terminating = false): V1Namespace => ({
  metadata: { name, labels, creationTimestamp: new Date(NOW - ageMs), ...(terminating ? { deletionTimestamp: new Date(NOW) } : {}) },
});
const ours = (runId: string) => ({ [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runId });

describe('other runs on the cluster', () => {
  test('a run is live while its newest namespace is younger than the staleness limit, stale after', () => {
    const { live, stale } = otherRunsOf([
      ns('drainspec-a-0', STALE_RUN_AFTER_MS + 60_000, ours('a')),
      ns('drainspec-a-1', 30_000, ours('a')),
      ns('drainspec-b-4', STALE_RUN_AFTER_MS + 1, ours('b')),
    ], 'me', NOW);
    expect(live).toEqual([{ runId: 'a', namespaces: ['drainspec-a-0', 'drainspec-a-1'], newestAgeMs: 30_000 }]);
    expect(stale).toEqual([{ runId: 'b', namespaces: ['drainspec-b-4'], newestAgeMs: STALE_RUN_AFTER_MS + 1 }]);
    expect(describeRun(live[0] as (typeof live)[number])).toBe('run a (namespace drainspec-a-0, drainspec-a-1, 30 s old)');
  });
  test('our own, half-labelled, unlabelled and terminating namespaces are never counted', () => {
    const old = STALE_RUN_AFTER_MS * 2;
    expect(otherRunsOf([
      ns('drainspec-me-0', old, ours('me')),
      ns('team-app', old, {}),
      ns('lookalike', old, { [RUN_ID_LABEL]: 'x' }),
      ns('other-tool', old, { [MANAGED_BY_LABEL]: 'helm', [RUN_ID_LABEL]: 'y' }),
      ns('drainspec-z-0', old, ours('z'), true),
    ], 'me', NOW)).toEqual({ live: [], stale: [] });
  });
});

describe('free NodePorts', () => {
  const service = (namespace: string, name: string, ...nodePorts: number[]): V1Service => ({ metadata: { namespace, name }, spec: { ports: nodePorts.map((nodePort) => ({ port: 80, nodePort })) } });
  test('ports any Service holds are skipped, in order', () => {
    const choice = chooseFreePorts([30080, 30081, 30082], [service('team', 'web', 30081, 31000), service('default', 'kubernetes')]);
    expect(choice.free).toEqual([30080, 30082]);
    expect([...choice.taken]).toEqual([[30081, 'team/web']]);
  });
  test('each scenario takes its turn, or the next free port; none free is one line naming the holders', async () => {
    const holding = (...services: V1Service[]) => ({ core: { listServiceForAllNamespaces: async () => ({ items: services }) } }) as unknown as KubeClients;
    const ports = [30080, 30081, 30082];
    expect(await pickNodePort(holding(), ports, 4)).toBe(30081);
    expect(await pickNodePort(holding(service('drainspec-x-1', 'app', 30081)), ports, 4)).toBe(30082);
    await expect(pickNodePort(holding(service('a', 'web', 30080, 30081, 30082)), ports, 0)).rejects.toThrow('no free NodePort: 30080 (a/web), 30081 (a/web), 30082 (a/web) are all taken');
    const forbidden = { core: { listServiceForAllNamespaces: async () => Promise.reject(Object.assign(new Error('forbidden'), { code: 403 })) } } as unknown as KubeClients;
    expect(await pickNodePort(forbidden, ports, 2)).toBe(30082);
  });
  test('a port another run took between the pick and the deploy is picked again', async () => {
    const held: V1Service[] = [];
    const clients = { core: { listServiceForAllNamespaces: async () => ({ items: [...held] }) } } as unknown as KubeClients;
    const tried: number[] = [];
    const port = await onFreeNodePort(clients, [30086, 30087], 0, async (nodePort) => {
      tried.push(nodePort);
      if (nodePort === 30086) {
        held.push(service('drainspec-other-0', 'app', 30086));
        throw Object.assign(new Error('HTTP-Code: 422'), { code: 422, body: '{"message":"Service \\"app\\" is invalid: spec.ports[0].nodePort: Invalid value: 30086: provided port is already allocated"}' });
      }
      return nodePort;
    });
    expect({ port, tried }).toEqual({ port: 30087, tried: [30086, 30087] });
    await expect(onFreeNodePort(clients, [30087], 0, async () => Promise.reject(new Error('image missing')))).rejects.toThrow('image missing');
  });
});
