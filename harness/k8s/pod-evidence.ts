// What Kubernetes says about one pod, as timeline events: readiness, termination (with the kill deadline, grace
// and preStop hook) and the container's exit. Pure: the caller gives arrival times and the API-clock conversion.
import type { V1Container, V1ContainerStateTerminated, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { PodEvent } from '../model/run-data.ts';

export interface PodEvidenceOptions {
  /** The app's container (its status and preStop hook are the ones reported). */
  container: string;
  /** When observation began (harness clock): exits that finished before it are history, not this run's. */
  observedFromMs: number;
  /** API/kubelet clock (epoch ms) → harness clock: subtract the measured offset. */
  toHarnessMs(apiMs: number): number;
}

interface PodState {
  ready: boolean;
  terminating: boolean;
  /** restartCount at first sight: a lastState exit counts only once the container restarted after that. */
  baselineRestarts: number;
  /** Exits already reported (container id + finishedAt). */
  exits: Set<string>;
  ipReported: boolean;
}

/** Client-node lists deserialize timestamps to Date; watch events carry the raw RFC 3339 strings. */
export function apiTimeMs(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** 'sleep 5s', 'exec: sh -c sleep 5', 'httpGet /drain', 'tcpSocket' or 'none'. */
export function describePreStop(container: V1Container | undefined): string {
  const hook = container?.lifecycle?.preStop;
  if (hook?.sleep) return `sleep ${hook.sleep.seconds}s`;
  if (hook?.exec) return hook.exec.command?.length ? `exec: ${hook.exec.command.join(' ')}` : 'exec';
  if (hook?.httpGet) return `httpGet ${hook.httpGet.path ?? '/'}`;
  if (hook?.tcpSocket) return 'tcpSocket';
  return 'none';
}

/** One container instance's exit: its id and finish time (repeated status updates carry the same). */
const exitKey = (t: V1ContainerStateTerminated) => `${t.containerID ?? ''}|${apiTimeMs(t.finishedAt) ?? ''}`;

/** The status of the named container, else the first one. */
export function containerStatusOf(pod: V1Pod, container: string): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((c) => c.name === container) ?? pod.status?.containerStatuses?.[0];
}

export function createPodEvidence(options: PodEvidenceOptions) {
  const states = new Map<string, PodState>();
  /** Pod IP → pod name, for attributing connections (last pod to hold an IP wins). */
  const podByIp = new Map<string, string>();
  const harnessTime = (value: Date | string | undefined) => {
    const ms = apiTimeMs(value);
    return ms === undefined ? undefined : options.toHarnessMs(ms);
  };
  const placement = (pod: V1Pod) => ({
    ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}),
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
  });

  const exitEvent = (name: string, state: PodState, terminated: V1ContainerStateTerminated, atMs: number): PodEvent | undefined => {
    const finishedAtMs = harnessTime(terminated.finishedAt);
    const key = exitKey(terminated);
    if (state.exits.has(key)) return undefined;
    state.exits.add(key);
    return { pod: name, kind: 'terminated', atMs, exitCode: terminated.exitCode, ...(terminated.reason ? { reason: terminated.reason } : {}), ...(finishedAtMs === undefined ? {} : { finishedAtMs }) };
  };

  /** Events that this update of `pod` (arriving at `atMs`) reveals. */
  function update(type: string, pod: V1Pod, atMs: number): PodEvent[] {
    const name = pod.metadata?.name ?? '';
    const events: PodEvent[] = [];
    const status = containerStatusOf(pod, options.container);
    if (pod.status?.podIP) podByIp.set(pod.status.podIP, name);
    let state = states.get(name);
    if (!state) {
      state = { ready: false, terminating: false, baselineRestarts: status?.restartCount ?? 0, exits: new Set(), ipReported: false };
      states.set(name, state);
      // A container that exited before observation began (a restart's lastState, or an old exit) is history.
      const previous = status?.lastState?.terminated;
      if (previous) state.exits.add(exitKey(previous));
      const current = status?.state?.terminated;
      const currentFinishedMs = harnessTime(current?.finishedAt);
      // finishedAt is truncated to the second: an exit up to 1 s before it reads as observedFrom − 1 s.
      if (current && currentFinishedMs !== undefined && currentFinishedMs < options.observedFromMs - 1000) {
        state.exits.add(exitKey(current));
      }
      events.push({ pod: name, kind: 'created', atMs, ...placement(pod) });
      state.ipReported = Boolean(pod.status?.podIP);
    }
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (ready !== state.ready && type !== 'DELETED') {
      // IP and node ride on `created` when known then, else on the first `ready` (a ready pod always has both).
      const withPlacement = ready && !state.ipReported && pod.status?.podIP;
      if (withPlacement) state.ipReported = true;
      events.push({ pod: name, kind: ready ? 'ready' : 'unready', atMs, ...(withPlacement ? placement(pod) : {}) });
    }
    if (type !== 'DELETED') state.ready = ready;
    if (pod.metadata?.deletionTimestamp && !state.terminating) {
      state.terminating = true;
      // deletionTimestamp = delete request + grace = SIGKILL deadline (k8s.io/apiserver rest/delete.go BeforeDelete).
      const killDeadlineAtMs = harnessTime(pod.metadata.deletionTimestamp);
      const container = pod.spec?.containers?.find((c) => c.name === options.container) ?? pod.spec?.containers?.[0];
      events.push({
        pod: name, kind: 'terminating', atMs,
        ...(killDeadlineAtMs === undefined ? {} : { killDeadlineAtMs }),
        ...(pod.metadata.deletionGracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds }),
        preStop: describePreStop(container),
      });
    }
    // The current exit always counts once; a lastState exit only when the container restarted under observation
    // (restart and re-run fell between two watch events).
    const restarted = (status?.restartCount ?? 0) > state.baselineRestarts;
    for (const terminated of [restarted ? status?.lastState?.terminated : undefined, status?.state?.terminated]) {
      const event = terminated && exitEvent(name, state, terminated, atMs);
      if (event) events.push(event);
    }
    // The final object can carry an exit no earlier update showed.
    if (type === 'DELETED') events.push({ pod: name, kind: 'deleted', atMs });
    return events;
  }

  return { update, podByIp };
}
