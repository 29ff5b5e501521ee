// What the Service's EndpointSlices say about each pod, as timeline events. A Service can have several slices:
// endpoints are tracked per slice, and a pod's endpoint is removed only when no slice lists it any more.
import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { PodEvent } from '../model/run-data.ts';

interface Conditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** EndpointConditions with the API's nil defaults: ready and serving read as true, terminating as false. */
function conditionsOf(endpoint: NonNullable<V1EndpointSlice['endpoints']>[number]): Conditions {
  const c = endpoint.conditions;
  return { ready: c?.ready ?? true, serving: c?.serving ?? true, terminating: c?.terminating ?? false };
}

export function createEndpointEvidence() {
  /** Slice name → pod name → conditions in that slice. */
  const slices = new Map<string, Map<string, Conditions>>();
  /** Pod name → its endpoint's conditions as last reported by any slice (absent: in no slice). */
  const current = new Map<string, Conditions>();

  /** Events that this update of `slice` (arriving at `atMs`) reveals. */
  function update(type: string, slice: V1EndpointSlice, atMs: number): PodEvent[] {
    const sliceName = slice.metadata?.name ?? '';
    const listed = new Map<string, Conditions>();
    for (const endpoint of type === 'DELETED' ? [] : (slice.endpoints ?? [])) {
      const pod = endpoint.targetRef?.name;
      if (pod) listed.set(pod, conditionsOf(endpoint));
    }
    const before = slices.get(sliceName) ?? new Map<string, Conditions>();
    if (type === 'DELETED') slices.delete(sliceName);
    else slices.set(sliceName, listed);

    const events: PodEvent[] = [];
    for (const [pod, now] of listed) {
      // The slice just written is the freshest word on this pod's conditions.
      const previous = current.get(pod);
      current.set(pod, now);
      if (!previous) continue;
      if (previous.ready && !now.ready) events.push({ pod, kind: 'endpoint-not-ready', atMs });
      if (previous.serving && !now.serving) events.push({ pod, kind: 'endpoint-not-serving', atMs });
      if (!previous.terminating && now.terminating) events.push({ pod, kind: 'endpoint-terminating', atMs });
    }
    for (const pod of before.keys()) {
      if (listed.has(pod)) continue;
      const elsewhere = [...slices.values()].find((endpoints) => endpoints.has(pod))?.get(pod);
      if (elsewhere) current.set(pod, elsewhere);
      else if (current.delete(pod)) events.push({ pod, kind: 'endpoint-removed', atMs });
    }
    return events;
  }

  return { update };
}
