import type { V1EndpointSlice } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { createEndpointEvidence } from './endpoint-evidence.ts';

type Conditions = { ready?: boolean; serving?: boolean; terminating?: boolean };

function slice(name: string, endpoints: Record<string, Conditions>): V1EndpointSlice {
  return {
    addressType: 'IPv4',
    metadata: { name, labels: { 'kubernetes.io/service-name': 'app' } },
    endpoints: Object.entries(endpoints).map(([pod, conditions], i) => ({ addresses: [`10.244.1.${i + 2}`], conditions, targetRef: { kind: 'Pod', name: pod } })),
  };
}

const READY = { ready: true, serving: true, terminating: false };
const kinds = (events: { pod: string; kind: string }[]) => events.map((e) => `${e.pod} ${e.kind}`);

describe('endpoint events from EndpointSlices', () => {
  test('a terminating pod that fails its readiness: not ready and terminating, then not serving, then removed', () => {
    const e = createEndpointEvidence();
    expect(e.update('ADDED', slice('app-a', { p1: READY, p2: READY }), 0)).toEqual([]);
    expect(kinds(e.update('MODIFIED', slice('app-a', { p1: { ready: false, serving: true, terminating: true }, p2: READY }), 10))).toEqual(['p1 endpoint-not-ready', 'p1 endpoint-terminating']);
    expect(e.update('MODIFIED', slice('app-a', { p1: { ready: false, serving: false, terminating: true }, p2: READY }), 20)).toEqual([{ pod: 'p1', kind: 'endpoint-not-serving', atMs: 20 }]);
    expect(e.update('MODIFIED', slice('app-a', { p2: READY }), 30)).toEqual([{ pod: 'p1', kind: 'endpoint-removed', atMs: 30 }]);
  });

  test('nil conditions read as the API says: ready and serving true, terminating false', () => {
    const e = createEndpointEvidence();
    e.update('ADDED', slice('app-a', { p1: {} }), 0);
    expect(kinds(e.update('MODIFIED', slice('app-a', { p1: { ready: false, serving: false, terminating: true } }), 5))).toEqual(['p1 endpoint-not-ready', 'p1 endpoint-not-serving', 'p1 endpoint-terminating']);
  });

  test('an endpoint missing from one slice but listed in another is not removed', () => {
    const e = createEndpointEvidence();
    e.update('ADDED', slice('app-a', { p1: READY, p2: READY }), 0);
    e.update('ADDED', slice('app-b', { p3: READY }), 0);
    // p2 moves to slice b: b lists it first, then a drops it.
    expect(e.update('MODIFIED', slice('app-b', { p2: READY, p3: READY }), 10)).toEqual([]);
    expect(e.update('MODIFIED', slice('app-a', { p1: READY }), 20)).toEqual([]);
    // An update of slice a (which never had p3) removes nothing of slice b's.
    expect(e.update('MODIFIED', slice('app-a', {}), 30)).toEqual([{ pod: 'p1', kind: 'endpoint-removed', atMs: 30 }]);
    // Deleting slice b removes what only it listed.
    expect(kinds(e.update('DELETED', slice('app-b', { p2: READY, p3: READY }), 40))).toEqual(['p2 endpoint-removed', 'p3 endpoint-removed']);
  });

  test('endpoints new to the Service produce no condition events (only transitions do)', () => {
    const e = createEndpointEvidence();
    expect(e.update('ADDED', slice('app-a', { p1: { ready: false, serving: false, terminating: false } }), 0)).toEqual([]);
    expect(e.update('MODIFIED', slice('app-a', { p1: READY }), 10)).toEqual([]);
  });

  test('a removed endpoint that comes back and goes again is removed twice', () => {
    const e = createEndpointEvidence();
    e.update('ADDED', slice('app-a', { p1: READY }), 0);
    e.update('MODIFIED', slice('app-a', {}), 10);
    e.update('MODIFIED', slice('app-a', { p1: READY }), 20);
    expect(e.update('MODIFIED', slice('app-a', {}), 30)).toEqual([{ pod: 'p1', kind: 'endpoint-removed', atMs: 30 }]);
  });
});
