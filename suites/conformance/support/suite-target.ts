// The run target for suites: the cluster the cluster project's global setup brought up, with its sample images.
import { inject } from 'vitest';
import { controlPlaneContainer } from '../../../harness/cluster/kind-cluster.ts';
import { DEFAULT_NODE_PORTS, nodePortsOf } from '../../../harness/cluster/kind-config.ts';
import { connect } from '../../../harness/k8s/client.ts';
import { describeEnvironment } from '../../../harness/run/environment.ts';
import type { Target } from '../../../harness/run/target.ts';

/** `ports` picks NodePorts so that files never share one (the kind-cluster test uses the last). */
export async function suiteTarget(ports: { from: number; to: number }): Promise<Target> {
  const clients = connect(inject('kubeContext'));
  const close = async () => undefined;
  return {
    clients, environment: await describeEnvironment(clients, 'kind', inject('clusterNodeImage')), image: inject('sampleAppImage'),
    alternateImage: inject('alternateSampleAppImage'), imagePullPolicy: 'Never', nodePorts: nodePortsOf(DEFAULT_NODE_PORTS).slice(ports.from, ports.to),
    ownsCluster: true, nodeContainer: controlPlaneContainer(inject('clusterName')), ingressImage: inject('traefikImage'), agentImage: inject('loadAgentImage'), close, [Symbol.asyncDispose]: close,
  };
}
