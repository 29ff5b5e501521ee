// Through the ingress: a Traefik of the test's own namespace (built from Go modules, namespace-scoped RBAC) in
// front of a 3-replica app, reached on its NodePort on 127.0.0.1; its access log names the pod behind each request.
import type { V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { serverSideApply } from '../../harness/k8s/apply.ts';
import { connect, type KubeClients } from '../../harness/k8s/client.ts';
import { createRunNamespace, type RunNamespace } from '../../harness/k8s/namespace.ts';
import { listAppPods, waitAvailable } from '../../harness/k8s/rollout.ts';
import { appDeployment, APP_LABEL } from '../../harness/k8s/templates.ts';
import { deployTraefik, followProxyLog, type ProxyAccess, type TraefikInstance } from '../../harness/ingress/index.ts';
import { POD_HEADER } from '../../harness/run/nodeport-ready.ts';
import { newRunId } from '../../harness/run/run-id.ts';

const NODE_PORT = 30086;
const BURST_REQUESTS = 60;
const BURST_DEADLINE_MS = 30_000;
const app = 'app';
let clients: KubeClients;
let namespace: RunNamespace;
let traefik: TraefikInstance;

beforeAll(async () => {
  clients = connect(inject('kubeContext'));
  namespace = await createRunNamespace(clients, newRunId(), 0);
  await serverSideApply(clients, appDeployment({
    name: app, namespace: namespace.name, image: inject('sampleAppImage'), containerPort: 8080, nodePort: NODE_PORT, replicas: 3,
    env: { DRAINSPEC_VARIANT: 'graceful' }, readinessPath: '/readyz', terminationGracePeriodSeconds: 15, preStopSleepSeconds: 0,
    strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
  }));
  // The app is reached only through the ingress: a ClusterIP Service, its NodePort is Traefik's.
  const service: V1Service = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: namespace.name },
    spec: { type: 'ClusterIP', selector: { [APP_LABEL]: app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  await serverSideApply(clients, service);
  await waitAvailable(clients, { namespace: namespace.name, name: app }, 3, 120_000);
  traefik = await deployTraefik(clients, {
    namespace: namespace.name, image: inject('traefikImage'), nodePort: NODE_PORT, ingressClass: `drainspec-${namespace.name}`,
    route: { serviceName: app, servicePort: 80 },
  });
});

afterAll(async () => {
  await namespace?.delete();
});

describe('through the ingress', () => {
  test('Traefik spreads a burst over the pods, and its access log names the pod IP behind every request', async () => {
    const podByIp = new Map((await listAppPods(clients, { namespace: namespace.name, name: app })).map((p) => [p.status?.podIP ?? '', p.metadata?.name ?? '']));
    expect(podByIp.size).toBe(3);
    const follower = await followProxyLog(clients, traefik.namespace, traefik.pod);
    const marker = newRunId();
    const answeredBy: string[] = [];
    try {
      const deadline = Date.now() + BURST_DEADLINE_MS;
      for (let i = 0; i < BURST_REQUESTS && Date.now() < deadline; i++) {
        const response = await fetch(`${traefik.baseUrl}/?burst=${marker}-${i}`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        expect(response.status).toBe(200);
        answeredBy.push(response.headers.get(POD_HEADER) ?? '');
      }
      expect(answeredBy).toHaveLength(BURST_REQUESTS);
      const burst = (entries: readonly ProxyAccess[]) => entries.filter((e) => e.path?.startsWith(`/?burst=${marker}-`));
      await follower.until((entries) => burst(entries).length >= BURST_REQUESTS, `${BURST_REQUESTS} access log lines of the burst`, 15_000);
      const logged = burst(follower.stop().entries);

      expect(new Set(answeredBy).size).toBeGreaterThan(1);
      expect(logged).toHaveLength(BURST_REQUESTS);
      for (const [i, entry] of logged.entries()) {
        expect(entry.path).toBe(`/?burst=${marker}-${i}`);
        expect(entry).toMatchObject({ status: 200, originStatus: 200, proxyGenerated: false });
        const [ip] = (entry.upstream ?? '').split(':');
        // The upstream is a pod of the app (Traefik routes to EndpointSlice addresses, not the ClusterIP), the very
        // pod that answered the client.
        expect(podByIp.get(ip ?? ''), entry.upstream).toBe(answeredBy[i]);
        expect(entry.podHeader).toBe(answeredBy[i]);
      }
    } finally {
      follower.stop();
    }
  });
});
