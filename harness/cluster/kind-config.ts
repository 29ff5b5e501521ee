// Generates the kind cluster config: 1 control-plane + N workers, NodePorts published on 127.0.0.1 only.
export interface NodePortRange {
  first: number;
  count: number;
}

export interface KindConfigOptions {
  name: string;
  workers: number;
  nodePorts: NodePortRange;
}

/** NodePorts reachable from the host as http://127.0.0.1:<port> (same number on host and node). */
export const DEFAULT_NODE_PORTS: NodePortRange = { first: 30080, count: 10 };

export function nodePortsOf(range: NodePortRange): number[] {
  return Array.from({ length: range.count }, (_, i) => range.first + i);
}

/** kind accepts JSON (a YAML subset); the object mirrors kind.x-k8s.io/v1alpha4 Cluster. */
export function kindConfig(options: KindConfigOptions): Record<string, unknown> {
  if (options.workers < 0 || options.workers > 5) throw new Error(`workers must be 0..5, got ${options.workers}`);
  const { first, count } = options.nodePorts;
  if (first < 30000 || first + count - 1 > 32767) throw new Error(`NodePorts ${first}-${first + count - 1} fall outside Kubernetes' NodePort range 30000-32767`);
  const portMappings = nodePortsOf(options.nodePorts).map((port) => ({ containerPort: port, hostPort: port, listenAddress: '127.0.0.1', protocol: 'TCP' }));
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: options.name,
    networking: { kubeProxyMode: 'iptables', apiServerAddress: '127.0.0.1' },
    nodes: [
      { role: 'control-plane', extraPortMappings: portMappings },
      ...Array.from({ length: options.workers }, () => ({ role: 'worker' })),
    ],
  };
}
