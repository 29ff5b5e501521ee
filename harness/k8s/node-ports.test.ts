import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import type { KubeClients } from './client.ts';
import { chooseFreePorts, onFreeNodePort, pickNodePort } from './node-ports.ts';

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
  test('a port the API still counts allocated though no Service holds it is avoided for the rest of the run', async () => {
    const clients = { core: { listServiceForAllNamespaces: async () => ({ items: [] }) } } as unknown as KubeClients;
    const leaked = (nodePort: number) => Object.assign(new Error('HTTP-Code: 422'), { code: 422, body: { message: `spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated` } });
    const avoid = new Set<number>();
    const tried: number[] = [];
    const deploy = async (nodePort: number) => {
      tried.push(nodePort);
      if (nodePort === 30080) throw leaked(nodePort);
      return nodePort;
    };
    expect(await onFreeNodePort(clients, [30080, 30081, 30082], 0, deploy, avoid)).toBe(30081);
    expect(await onFreeNodePort(clients, [30080, 30081, 30082], 2, deploy, avoid)).toBe(30082);
    expect(await onFreeNodePort(clients, [30080, 30081, 30082], 3, deploy, avoid)).toBe(30081);
    expect(tried).toEqual([30080, 30081, 30082, 30081]);
    await expect(onFreeNodePort(clients, [30080], 0, deploy, avoid)).rejects.toThrow('no free NodePort: 30080 (allocated, though no Service holds it)');
  });
});

describe('NodePorts of concurrent scenarios of one run', () => {
  const nobody = { core: { listServiceForAllNamespaces: async () => ({ items: [] }) } } as unknown as KubeClients;

  test('scenarios picking at once get different ports, each released when its scenario ends', async () => {
    const claimed = new Set<number>();
    const ports = [30080, 30081, 30082];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    // Same index for all three: without the claims they would all take 30080.
    const runs = [0, 0, 0].map((index) => onFreeNodePort(nobody, ports, index, async (nodePort) => {
      seen.push(nodePort);
      await held;
      return nodePort;
    }, new Set(), claimed));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...claimed].sort()).toEqual(ports);
    await expect(pickNodePort(nobody, ports, 0, new Set(), claimed)).rejects.toThrow('30080 (used by another scenario of this run)');
    release();
    expect((await Promise.all(runs)).sort()).toEqual(ports);
    expect(new Set(seen).size).toBe(3);
    expect(claimed.size).toBe(0);
  });

  test('negative control: the refused-port set keeps its meaning apart from the claims', async () => {
    const avoid = new Set([30080]);
    const claimed = new Set<number>();
    expect(await onFreeNodePort(nobody, [30080, 30081], 0, async (p) => p, avoid, claimed)).toBe(30081);
    expect({ avoid: [...avoid], claimed: [...claimed] }).toEqual({ avoid: [30080], claimed: [] });
  });
});
