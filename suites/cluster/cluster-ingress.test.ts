// Through the cluster's own ingress controller, as on a staging cluster (--ingress-class NAME --host HOST
// --ingress-url URL): a cluster-wide Traefik stands in for the platform's controller (its own namespace, a ClusterRole,
// an IngressClass), and drainspec only adds an Ingress of that class per scenario. Load from the host goes through a
// published port with the rule's Host; load from in-cluster agents goes to the controller's Service by DNS name.
import type { KubernetesObject, V1ClusterRole, V1ClusterRoleBinding, V1IngressClass } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../../harness/config/defaults.ts';
import { applyOrder, traefikObjects, TRAEFIK_NAME, TRAEFIK_SERVICE_PORT } from '../../harness/ingress/index.ts';
import { serverSideApply } from '../../harness/k8s/apply.ts';
import type { KubeClients } from '../../harness/k8s/client.ts';
import { createRunNamespace, MANAGED_BY, MANAGED_BY_LABEL, sweepRunNamespaces, type RunNamespace } from '../../harness/k8s/namespace.ts';
import { waitAvailable } from '../../harness/k8s/rollout.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { reportPaths } from '../../harness/report/write-report.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import type { Target } from '../../harness/run/target.ts';
import { DEFAULT_MATRIX, selectScenarios } from '../../harness/scenarios/catalogue.ts';
import { suiteTarget } from '../conformance/support/suite-target.ts';

const NODE_PORT = 30085;
const CLASS = 'drainspec-shared';
const HOST = 'app.drainspec.test';
const scenarios = selectScenarios(DEFAULT_MATRIX, ['graceful/rollout-restart/keepalive@ingress']);
const runId = newRunId();
let target: Target;
let clients: KubeClients;
let controllerNamespace: RunNamespace;
const clusterScoped: KubernetesObject[] = [];

/** The platform's controller: drainspec's Traefik objects made cluster-wide (all namespaces, IngressClasses read). */
async function deploySharedController(namespace: string): Promise<void> {
  const objects = traefikObjects({ namespace, image: inject('traefikImage'), nodePort: NODE_PORT, ingressClass: CLASS });
  const container = objects.deployment.spec?.template.spec?.containers[0];
  if (!container) throw new Error('Traefik Deployment without a container');
  container.args = (container.args ?? []).filter((arg) => !arg.startsWith('--providers.kubernetesingress.namespaces=') && !arg.startsWith('--providers.kubernetesingress.disableClusterScopeResources='));
  const name = `${CLASS}-${namespace}`;
  const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
  const role: V1ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels },
    rules: [...(objects.role.rules ?? []), { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] }, { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
  };
  const binding: V1ClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name: TRAEFIK_NAME, namespace }],
  };
  const ingressClass: V1IngressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: CLASS, labels }, spec: { controller: 'traefik.io/ingress-controller' } };
  clusterScoped.push(role, binding, ingressClass);
  for (const object of [role, binding, ingressClass]) await serverSideApply(clients, object);
  for (const object of applyOrder(objects).filter((o) => o.kind !== 'Role' && o.kind !== 'RoleBinding')) await serverSideApply(clients, object);
  await waitAvailable(clients, { namespace, name: TRAEFIK_NAME }, 1, 120_000);
}

beforeAll(async () => {
  if (process.env.DRAINSPEC_CLUSTER_INGRESS !== '1') return;
  target = await suiteTarget({ from: 4, to: 5 });
  clients = target.clients;
  controllerNamespace = await createRunNamespace(clients, runId, 99);
  await deploySharedController(controllerNamespace.name);
});

afterAll(async () => {
  if (!clients) return;
  await sweepRunNamespaces(clients, runId);
  for (const object of clusterScoped.reverse()) await clients.objects.delete(object).catch(() => undefined);
});

const through = (patch: Partial<DrainspecConfig['ingress']>, load: Partial<DrainspecConfig['load']> = {}): DrainspecConfig => ({
  ...DEFAULT_CONFIG, reportDir: 'reports/conformance', ingress: { className: CLASS, host: HOST, url: '', ...patch }, load: { ...DEFAULT_CONFIG.load, ...load },
});

// Opt-in (DRAINSPEC_CLUSTER_INGRESS=1) until an intermittent failure is understood: in 1 of 6 runs the graceful
// sample app behind this cluster-wide Traefik exited 1 — its own 10 s shutdown timeout, a connection that never
// drained — with no failed request (see the closing note of issue 12). The assertion message prints the exits.
describe.runIf(process.env.DRAINSPEC_CLUSTER_INGRESS === '1')("through the cluster's own ingress controller", () => {
  test.each([
    ['from the host, through a published port with the rule\'s Host', () => through({ url: `http://127.0.0.1:${NODE_PORT}` }), 0],
    ['from 2 in-cluster agents, to the controller\'s Service by DNS name', () => through({ url: `http://${TRAEFIK_NAME}.${controllerNamespace.name}.svc.cluster.local:${TRAEFIK_SERVICE_PORT}` }, { from: 'cluster', agents: 2 }), 1],
  ] as const)('graceful passes %s', async (_how, config, index) => {
    const [report] = await runMatrix({ config: config(), runId, scenarios, indexOffset: index, target, reportDir: reportPaths('reports/conformance', runId).dir, progress: createProgress(), signal: AbortSignal.timeout(10 * 60_000) });
    expect(report?.error, 'the scenario could not be tested').toBeUndefined();
    const findings = JSON.stringify(report?.findings.map((f) => ({ class: f.failureClass, pods: f.pods, example: f.example })));
    const exits = JSON.stringify(report?.drain?.pods.map((d) => ({ pod: d.pod, exitCode: d.exitCode, exitReason: d.exitReason, terminatingToExitMs: d.terminatingToExitMs })));
    expect(report?.verdict, `findings ${findings}; exits ${exits}`).toBe('pass');
    expect(report?.coverage?.exercised, report?.coverage?.note).toBe(true);
    // drainspec deployed no proxy of its own here, and says it cannot read the controller's log.
    expect(report?.proxy && 'unavailable' in report.proxy ? report.proxy.unavailable : '').toMatch(/cluster's own ingress controller \(class drainspec-shared\)/);
  });
});
