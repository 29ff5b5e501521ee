// Observation of one app during a rollout: pod transitions, EndpointSlice flips and the app's own lifecycle
// log lines, all timestamped on arrival (epoch ms) and joined by pod name.
import type { V1Pod, V1EndpointSlice } from '@kubernetes/client-node';
import type { LifecycleEvent, PodEvent } from '../model/run-data.ts';
import type { KubeClients } from './client.ts';
import { followLog, type LogFollower } from './follow-log.ts';
import { resumableWatch, type WatchHandle } from './resumable-watch.ts';
import { containerOf, podSelector, serviceOf, type AppRef } from './rollout.ts';

export interface Observation {
  pods: PodEvent[];
  lifecycle: LifecycleEvent[];
  /** Problems that mean the scenario could not be tested (image missing, crash loops). */
  problems: string[];
  stop(): Promise<void>;
}

interface PodState { ready: boolean; terminating: boolean; terminated: boolean; logging: boolean }
interface EndpointState { ready: boolean; present: boolean }

const COULD_NOT_TEST = new Set(['ErrImageNeverPull', 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'CreateContainerConfigError', 'InvalidImageName']);

/** Parses one line of the app's stdout; non-lifecycle lines are ignored. */
export function parseLifecycleLine(line: string, fallbackPod: string): LifecycleEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { event?: string; atMs?: number; pod?: string; code?: number };
    if (typeof parsed.event !== 'string' || typeof parsed.atMs !== 'number') return undefined;
    return { pod: parsed.pod ?? fallbackPod, event: parsed.event as LifecycleEvent['event'], atMs: parsed.atMs, ...(parsed.code !== undefined ? { code: parsed.code } : {}) };
  } catch {
    return undefined;
  }
}

export function observeApp(clients: KubeClients, app: AppRef, now: () => number = Date.now): Observation {
  const pods: PodEvent[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const problems: string[] = [];
  const podStates = new Map<string, PodState>();
  const endpoints = new Map<string, EndpointState>();
  const followers: LogFollower[] = [];
  let stopped = false;

  const followLogs = (name: string) => {
    const onLine = (line: string) => {
      const event = parseLifecycleLine(line.trim(), name);
      if (event) lifecycle.push(event);
    };
    const retryLater = () => {
      const state = podStates.get(name);
      if (state && !state.terminated) state.logging = false; // followed again on the pod's next update
    };
    followLog(clients.config, app.namespace, name, containerOf(app), onLine, (error) => { if (error) retryLater(); })
      .then((follower) => (stopped ? follower.stop() : followers.push(follower)), retryLater);
  };

  const onPod = (type: string, pod: V1Pod) => {
    const name = pod.metadata?.name ?? '';
    let state = podStates.get(name);
    if (!state) {
      state = { ready: false, terminating: false, terminated: false, logging: false };
      podStates.set(name, state);
      pods.push({ pod: name, kind: 'created', atMs: now() });
    }
    if (type === 'DELETED') {
      pods.push({ pod: name, kind: 'deleted', atMs: now() });
      return;
    }
    const status = pod.status?.containerStatuses?.find((c) => c.name === containerOf(app)) ?? pod.status?.containerStatuses?.[0];
    if (!state.logging && (status?.state?.running || status?.state?.terminated)) {
      state.logging = true;
      followLogs(name);
    }
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (ready !== state.ready) pods.push({ pod: name, kind: ready ? 'ready' : 'unready', atMs: now() });
    state.ready = ready;
    if (pod.metadata?.deletionTimestamp && !state.terminating) {
      state.terminating = true;
      pods.push({ pod: name, kind: 'terminating', atMs: now() });
    }
    const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
    if (terminated && !state.terminated) {
      state.terminated = true;
      pods.push({ pod: name, kind: 'terminated', atMs: now(), exitCode: terminated.exitCode, reason: terminated.reason });
    }
    const waiting = status?.state?.waiting?.reason;
    if (waiting && COULD_NOT_TEST.has(waiting)) {
      const problem = `pod ${name}: ${waiting}${status?.state?.waiting?.message ? ` (${status.state.waiting.message})` : ''}`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  };

  const onSlice = (type: string, slice: V1EndpointSlice) => {
    const seen = new Set<string>();
    for (const endpoint of type === 'DELETED' ? [] : (slice.endpoints ?? [])) {
      const name = endpoint.targetRef?.name;
      if (!name) continue;
      seen.add(name);
      const ready = endpoint.conditions?.ready === true;
      const previous = endpoints.get(name);
      if (previous?.ready && !ready) pods.push({ pod: name, kind: 'endpoint-not-ready', atMs: now() });
      endpoints.set(name, { ready, present: true });
    }
    for (const [name, state] of endpoints) {
      if (state.present && !seen.has(name)) {
        state.present = false;
        pods.push({ pod: name, kind: 'endpoint-removed', atMs: now() });
      }
    }
  };

  const selector = podSelector(app);
  const watches: WatchHandle[] = [
    resumableWatch<V1Pod>(clients.config, `/api/v1/namespaces/${app.namespace}/pods`,
      () => clients.core.listNamespacedPod({ namespace: app.namespace, labelSelector: selector }), onPod),
    resumableWatch<V1EndpointSlice>(clients.config, `/apis/discovery.k8s.io/v1/namespaces/${app.namespace}/endpointslices`,
      () => clients.discovery.listNamespacedEndpointSlice({ namespace: app.namespace, labelSelector: `kubernetes.io/service-name=${serviceOf(app)}` }), onSlice),
  ];

  return {
    pods,
    lifecycle,
    problems,
    async stop() {
      stopped = true;
      for (const w of watches) w.stop();
      for (const f of followers) f.stop();
    },
  };
}
