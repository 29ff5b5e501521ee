// Rollout triggers (each a small function) and the wait until the app has settled afterwards.
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import type { TriggerKind } from '../scenarios/catalogue.ts';
import type { KubeClients } from './client.ts';
import { APP_LABEL } from './templates.ts';
import { waitFor } from './wait.ts';

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** The app under test: its Deployment, and for a user's manifests the Service, container and pod labels it uses. */
export interface AppRef {
  namespace: string;
  /** The Deployment's name. */
  name: string;
  /** Service name (default: the Deployment's name). */
  service?: string;
  /** Container the triggers patch and whose log is followed (default `app`). */
  container?: string;
  /** Pod labels (default `app.kubernetes.io/name=<name>`). */
  matchLabels?: Record<string, string>;
}

export const podLabels = (app: AppRef): Record<string, string> => app.matchLabels ?? { [APP_LABEL]: app.name };
export const podSelector = (app: AppRef): string => Object.entries(podLabels(app)).map(([k, v]) => `${k}=${v}`).join(',');
export const containerOf = (app: AppRef): string => app.container ?? 'app';
export const serviceOf = (app: AppRef): string => app.service ?? app.name;

/** Set on a node while node-drain keeps it cordoned: the namespace of the scenario that cordoned it. */
export const CORDONED_FOR_ANNOTATION = 'drainspec.io/cordoned-for';

export interface TriggerContext {
  /** Second tag of the same image, loaded beforehand, for `image-change`. */
  alternateImage: string;
  /** Set by node-drain: the node to uncordon at cleanup. */
  cordonedNode?: string;
}

export async function listAppPods(clients: KubeClients, app: AppRef): Promise<V1Pod[]> {
  const list = await clients.core.listNamespacedPod({ namespace: app.namespace, labelSelector: podSelector(app) });
  return list.items;
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

async function patchDeployment(clients: KubeClients, app: AppRef, body: object): Promise<void> {
  await clients.apps.patchNamespacedDeployment({ name: app.name, namespace: app.namespace, body }, strategicMerge);
}

async function evict(clients: KubeClients, pod: V1Pod): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  await clients.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } });
}

/** Fires the trigger; returns the pods it is expected to replace or remove. Never shortens grace periods or force-deletes. */
export async function fireTrigger(clients: KubeClients, app: AppRef, kind: TriggerKind, context: TriggerContext): Promise<string[]> {
  const pods = (await listAppPods(clients, app)).filter((p) => !p.metadata?.deletionTimestamp);
  const names = pods.map((p) => p.metadata?.name ?? '');
  const victim = pods[0];
  if (!victim) throw new Error(`no running pods of ${app.name} to trigger ${kind} on`);
  switch (kind) {
    case 'rollout-restart':
    case 'recreate':
      await patchDeployment(clients, app, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } });
      return names;
    case 'image-change':
      await patchDeployment(clients, app, { spec: { template: { spec: { containers: [{ name: containerOf(app), image: context.alternateImage }] } } } });
      return names;
    case 'env-change':
      await patchDeployment(clients, app, { spec: { template: { spec: { containers: [{ name: containerOf(app), env: [{ name: 'DRAINSPEC_REVISION', value: String(Date.now()) }] }] } } } });
      return names;
    case 'scale-down':
      await patchDeployment(clients, app, { spec: { replicas: 1 } });
      // The ReplicaSet controller picks which pods go; settling is judged by the count alone.
      return [];
    case 'pod-delete':
      await clients.core.deleteNamespacedPod({ name: victim.metadata?.name ?? '', namespace: app.namespace });
      return [victim.metadata?.name ?? ''];
    case 'eviction':
      await evict(clients, victim);
      return [victim.metadata?.name ?? ''];
    case 'node-drain': {
      // Scoped drain: cordon the node and evict this run's pods on it; other namespaces' pods are left alone.
      const node = victim.spec?.nodeName ?? '';
      // The annotation names the scenario's namespace (so its run): a run's cleanup or reaper uncordons its own nodes only.
      await clients.core.patchNode({ name: node, body: { metadata: { annotations: { [CORDONED_FOR_ANNOTATION]: app.namespace } }, spec: { unschedulable: true } } }, strategicMerge);
      context.cordonedNode = node;
      const onNode = pods.filter((p) => p.spec?.nodeName === node);
      for (const pod of onNode) await evict(clients, pod);
      return onNode.map((p) => p.metadata?.name ?? '');
    }
  }
}

/** Undoes node-drain's cordon; runs after Ctrl-C too, so it goes through the cleanup clients. */
export async function uncordon(clients: KubeClients, node: string): Promise<void> {
  await clients.cleanup.core.patchNode({ name: node, body: { metadata: { annotations: { [CORDONED_FOR_ANNOTATION]: null } }, spec: { unschedulable: false } } }, strategicMerge);
}

/** The Deployment's own verdict that it stopped progressing (progressDeadlineSeconds exceeded), if it gave one. */
async function progressDeadlineExceeded(clients: KubeClients, app: AppRef): Promise<string | undefined> {
  const deployment = await clients.apps.readNamespacedDeployment({ name: app.name, namespace: app.namespace });
  const stuck = deployment.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
  return stuck ? `rollout stuck: ${stuck.message ?? 'ProgressDeadlineExceeded'}` : undefined;
}

/** Waits until `replaced` pods are gone and exactly `replicas` pods are Ready with none terminating. */
export async function waitSettled(clients: KubeClients, app: AppRef, replicas: number, replaced: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const outcome = await waitFor(async () => {
    const pods = await listAppPods(clients, app);
    const names = new Set(pods.map((p) => p.metadata?.name));
    const settled = replaced.every((n) => !names.has(n))
      && pods.length === replicas
      && pods.every((p) => !p.metadata?.deletionTimestamp && isReady(p));
    return settled ? 'settled' : await progressDeadlineExceeded(clients, app);
  }, { what: `${app.name} to settle at ${replicas} ready pods${replaced.length ? ` without ${replaced.join(', ')}` : ''}`, timeoutMs, intervalMs: 500, signal });
  if (outcome !== 'settled') throw new Error(outcome);
}

/** Waits until the deployment has all replicas updated and available (initial deploy). */
export async function waitAvailable(clients: KubeClients, app: AppRef, replicas: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await waitSettled(clients, app, replicas, [], timeoutMs, signal);
}
