// Observation of one app during a rollout: pod transitions (with Kubernetes' own termination evidence),
// EndpointSlice condition flips and the app's own lifecycle log lines, all timestamped on arrival (epoch ms) and
// joined by pod name. Kubernetes timestamps are converted to the harness clock with a measured offset.
import type { V1Pod, V1EndpointSlice } from '@kubernetes/client-node';
import type { LifecycleEvent, PodEvent } from '../model/run-data.ts';
import type { KubeClients } from './client.ts';
import { createEndpointEvidence } from './endpoint-evidence.ts';
import { followLog, type LogFollower } from './follow-log.ts';
import { containerStatusOf, createPodEvidence } from './pod-evidence.ts';
import { resumableWatch, type WatchHandle } from './resumable-watch.ts';
import { containerOf, podSelector, serviceOf, type AppRef } from './rollout.ts';

export interface Observation {
  pods: PodEvent[];
  lifecycle: LifecycleEvent[];
  /** Problems that mean the scenario could not be tested (image missing, crash loops). */
  problems: string[];
  /** Live pod IP → pod name, from the watch (for network attribution). */
  podByIp(): ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

export interface ObserveOptions {
  /** Harness clock (default Date.now). */
  now?: () => number;
  /** API-server clock − harness clock (measureClockOffset); default 0, right on kind where all share one clock. */
  clockOffsetMs?: number;
}

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

export function observeApp(clients: KubeClients, app: AppRef, options: ObserveOptions = {}): Observation {
  const now = options.now ?? Date.now;
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  const pods: PodEvent[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const problems: string[] = [];
  const logging = new Set<string>();
  const gone = new Set<string>();
  const followers: LogFollower[] = [];
  const podEvidence = createPodEvidence({ container: containerOf(app), observedFromMs: now(), toHarnessMs: (apiMs) => apiMs - clockOffsetMs });
  const endpointEvidence = createEndpointEvidence();
  let stopped = false;

  const followLogs = (name: string) => {
    const onLine = (line: string) => {
      const event = parseLifecycleLine(line.trim(), name);
      if (event) lifecycle.push(event);
    };
    // Followed again on the pod's next update, unless it has exited.
    const retryLater = () => {
      if (!gone.has(name)) logging.delete(name);
    };
    followLog(clients.config, app.namespace, name, containerOf(app), onLine, (error) => { if (error) retryLater(); }, clients.signal)
      .then((follower) => (stopped ? follower.stop() : followers.push(follower)), retryLater);
  };

  const onPod = (type: string, pod: V1Pod) => {
    const name = pod.metadata?.name ?? '';
    const events = podEvidence.update(type, pod, now());
    pods.push(...events);
    if (events.some((e) => e.kind === 'terminated' || e.kind === 'deleted')) gone.add(name);
    if (type === 'DELETED') return;
    const status = containerStatusOf(pod, containerOf(app));
    if (!logging.has(name) && (status?.state?.running || status?.state?.terminated)) {
      logging.add(name);
      followLogs(name);
    }
    const waiting = status?.state?.waiting?.reason;
    if (waiting && COULD_NOT_TEST.has(waiting)) {
      const problem = `pod ${name}: ${waiting}${status?.state?.waiting?.message ? ` (${status.state.waiting.message})` : ''}`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  };

  const onSlice = (type: string, slice: V1EndpointSlice) => {
    pods.push(...endpointEvidence.update(type, slice, now()));
  };

  const selector = podSelector(app);
  const sliceSelector = `kubernetes.io/service-name=${serviceOf(app)}`;
  const watches: WatchHandle[] = [
    resumableWatch<V1Pod>(clients, `/api/v1/namespaces/${app.namespace}/pods`,
      () => clients.core.listNamespacedPod({ namespace: app.namespace, labelSelector: selector }), onPod, selector),
    resumableWatch<V1EndpointSlice>(clients, `/apis/discovery.k8s.io/v1/namespaces/${app.namespace}/endpointslices`,
      () => clients.discovery.listNamespacedEndpointSlice({ namespace: app.namespace, labelSelector: sliceSelector }), onSlice, sliceSelector),
  ];

  return {
    pods,
    lifecycle,
    problems,
    podByIp: () => podEvidence.podByIp,
    async stop() {
      stopped = true;
      for (const w of watches) w.stop();
      for (const f of followers) f.stop();
    },
  };
}
