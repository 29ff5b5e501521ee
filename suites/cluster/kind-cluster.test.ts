// The kind cluster is real: nodes, kube-system, CNI across nodes, NodePort on 127.0.0.1, a rollout restart.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { serverSideApply } from '../../harness/k8s/apply.ts';
import { connect, type KubeClients } from '../../harness/k8s/client.ts';
import { createRunNamespace, type RunNamespace } from '../../harness/k8s/namespace.ts';
import { fireTrigger, listAppPods, waitAvailable, waitSettled } from '../../harness/k8s/rollout.ts';
import { appDeployment, appService, type AppSpec } from '../../harness/k8s/templates.ts';
import { waitServedByAll } from '../../harness/run/nodeport-ready.ts';
import { newRunId } from '../../harness/run/run-id.ts';

const NODE_PORT = 30089;
let clients: KubeClients;
let namespace: RunNamespace;
let spec: AppSpec;

/** A bounded burst of fresh-connection requests to the NodePort on 127.0.0.1; returns the answering pods. */
async function podsAnswering(count: number): Promise<string[]> {
  const pods: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`http://127.0.0.1:${NODE_PORT}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    pods.push(response.headers.get('x-drainspec-pod') ?? '');
  }
  return pods;
}

beforeAll(async () => {
  clients = connect(inject('kubeContext'));
  namespace = await createRunNamespace(clients, newRunId(), 0);
  spec = {
    name: 'app', namespace: namespace.name, image: inject('sampleAppImage'), containerPort: 8080, nodePort: NODE_PORT, replicas: 3,
    env: { DRAINSPEC_VARIANT: 'graceful', DRAIN_DELAY_MS: '2000' }, readinessPath: '/readyz', terminationGracePeriodSeconds: 15,
    preStopSleepSeconds: 0, strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
  };
});

afterAll(async () => {
  await namespace?.delete();
});

describe('kind cluster', () => {
  test('three nodes, all Ready', async () => {
    const nodes = (await clients.core.listNode()).items;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, node.metadata?.name).toBe('True');
    }
  });

  test('every kube-system pod runs, with kube-proxy and the CNI agent on each node', async () => {
    const pods = (await clients.core.listNamespacedPod({ namespace: 'kube-system' })).items;
    for (const pod of pods) expect(pod.status?.phase, pod.metadata?.name).toBe('Running');
    const nodesOf = (prefix: string) => new Set(pods.filter((p) => p.metadata?.name?.startsWith(prefix)).map((p) => p.spec?.nodeName));
    expect(nodesOf('kube-proxy-').size).toBe(3);
    expect(nodesOf('drainspec-cni-').size + nodesOf('kindnet-').size).toBe(3);
    expect(pods.filter((p) => p.metadata?.name?.startsWith('coredns-')).length).toBeGreaterThan(0);
  });

  test('a 3-replica app behind a NodePort answers on 127.0.0.1 from pods on both workers', async () => {
    await serverSideApply(clients, appDeployment(spec));
    await serverSideApply(clients, appService(spec));
    await waitAvailable(clients, { namespace: namespace.name, name: 'app' }, 3, 120_000);
    const podNodes = new Map((await listAppPods(clients, { namespace: namespace.name, name: 'app' })).map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
    await waitServedByAll(`http://127.0.0.1:${NODE_PORT}`, [...podNodes.keys()], 30_000);
    const answered = await podsAnswering(60);
    // The NodePort enters on the control-plane node, which runs no app pod: every answer crossed the pod network
    // to another node, and answers from pods on both workers prove both routes.
    const nodes = new Set(answered.map((pod) => podNodes.get(pod)));
    expect(nodes.has(undefined)).toBe(false);
    expect(nodes.size).toBe(2);
    expect(new Set(answered).size).toBe(3);
  });

  test('a rollout restart completes and only new pods serve afterwards', async () => {
    const app = { namespace: namespace.name, name: 'app' };
    const replaced = await fireTrigger(clients, app, 'rollout-restart', { alternateImage: spec.image });
    await waitSettled(clients, app, 3, replaced, 180_000);
    const current = new Set((await listAppPods(clients, app)).map((p) => p.metadata?.name));
    await waitServedByAll(`http://127.0.0.1:${NODE_PORT}`, [...current].map(String), 30_000);
    const answered = await podsAnswering(30);
    expect(answered.every((pod) => current.has(pod) && !replaced.includes(pod))).toBe(true);
  });

  test('a released namespace frees its Services at once; creating it again waits for the old one to be gone', async () => {
    const runId = newRunId();
    const first = await createRunNamespace(clients, runId, 1);
    // A finalizer keeps the released namespace Terminating until the test lets it go.
    const FINALIZER = 'drainspec.io/test-hold';
    await clients.core.createNamespacedConfigMap({ namespace: first.name, body: { metadata: { name: 'hold', finalizers: [FINALIZER] } } });
    await clients.core.createNamespacedService({ namespace: first.name, body: { metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } } });
    await first.release();
    expect((await clients.core.listNamespacedService({ namespace: first.name })).items).toEqual([]);
    expect((await clients.core.readNamespace({ name: first.name })).status?.phase).toBe('Terminating');
    let createdAtMs = 0;
    const again = createRunNamespace(clients, runId, 1).then((ns) => {
      createdAtMs = Date.now();
      return ns;
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(createdAtMs, 'created while the old namespace was still there').toBe(0);
    const letGoAtMs = Date.now();
    await clients.core.patchNamespacedConfigMap({ name: 'hold', namespace: first.name, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    const second = await again;
    expect(createdAtMs).toBeGreaterThanOrEqual(letGoAtMs);
    expect((await clients.core.readNamespace({ name: second.name })).status?.phase).toBe('Active');
    await second.delete();
  }, 150_000);
});
