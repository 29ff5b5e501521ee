import { describe, expect, test } from 'vitest';
import { DEFAULT_NODE_PORTS, kindConfig } from './kind-config.ts';

describe('kind config', () => {
  const config = kindConfig({ name: 'drainspec', workers: 2, nodePorts: DEFAULT_NODE_PORTS }) as {
    name: string;
    networking: { kubeProxyMode: string; apiServerAddress: string };
    nodes: Array<{ role: string; extraPortMappings?: Array<{ listenAddress: string; hostPort: number; containerPort: number }> }>;
  };

  test('one control-plane and two workers, kube-proxy in iptables mode', () => {
    expect(config.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(config.networking.kubeProxyMode).toBe('iptables');
    expect(config.name).toBe('drainspec');
  });

  test('every published port listens on 127.0.0.1 only, including the API server', () => {
    const mappings = config.nodes[0]?.extraPortMappings ?? [];
    expect(mappings).toHaveLength(10);
    expect(mappings.every((m) => m.listenAddress === '127.0.0.1' && m.hostPort === m.containerPort)).toBe(true);
    expect(mappings.map((m) => m.hostPort)).toEqual([30080, 30081, 30082, 30083, 30084, 30085, 30086, 30087, 30088, 30089]);
    expect(config.networking.apiServerAddress).toBe('127.0.0.1');
  });

  test('ports outside the NodePort range are rejected', () => {
    expect(() => kindConfig({ name: 'x', workers: 2, nodePorts: { first: 8080, count: 2 } })).toThrow(/outside Kubernetes' NodePort range/);
  });
});
