import type { V1Lease, V1Namespace } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { LAPSE_DEFAULTS, judgeRuns } from './lapsed-runs.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms);

function ns(name: string, runId: string | undefined, createdAgoMs: number, extra: Partial<V1Namespace['metadata']> = {}): V1Namespace {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'drainspec', ...(runId ? { 'drainspec.io/run-id': runId } : {}) };
  return { metadata: { name, labels, creationTimestamp: ago(createdAgoMs), ...extra } };
}
const lease = (renewedAgoMs: number): V1Lease => ({ spec: { renewTime: ago(renewedAgoMs), leaseDurationSeconds: 20, holderIdentity: 'ci-7/4242' } });

describe('judgeRuns', () => {
  test('a run with a fresh lease is alive; one whose lease lapsed is gone, named with its namespaces and why', () => {
    const runs = judgeRuns([ns('a-0', 'a', 60_000), ns('b-0', 'b', 300_000), ns('b-1', 'b', 200_000)], new Map([['a-0', lease(3_000)], ['b-0', lease(90_000)], ['b-1', lease(45_000)]]), NOW, LAPSE_DEFAULTS);
    expect(runs).toEqual([{ runId: 'b', namespaces: ['b-0', 'b-1'], reason: 'lease last renewed 45s ago by ci-7/4242' }]);
  });

  test('lateness within the duration plus slack is still alive (clock offsets, a slow renewal)', () => {
    expect(judgeRuns([ns('a-0', 'a', 60_000)], new Map([['a-0', lease(29_000)]]), NOW, LAPSE_DEFAULTS)).toEqual([]);
    expect(judgeRuns([ns('a-0', 'a', 60_000)], new Map([['a-0', lease(31_000)]]), NOW, LAPSE_DEFAULTS)).toHaveLength(1);
  });

  test('without a lease a namespace counts as gone only once old (a run killed before its first renewal, an older drainspec)', () => {
    expect(judgeRuns([ns('a-0', 'a', 60_000)], new Map(), NOW, LAPSE_DEFAULTS)).toEqual([]);
    expect(judgeRuns([ns('a-0', 'a', 16 * 60_000)], new Map(), NOW, LAPSE_DEFAULTS)).toEqual([{ runId: 'a', namespaces: ['a-0'], reason: 'no lease, namespace 16m00s old' }]);
  });

  test('one live namespace keeps its whole run alive', () => {
    expect(judgeRuns([ns('a-0', 'a', 600_000), ns('a-1', 'a', 10_000)], new Map([['a-0', lease(500_000)], ['a-1', lease(2_000)]]), NOW, LAPSE_DEFAULTS)).toEqual([]);
  });

  test('namespaces without both labels, or already terminating, are never candidates', () => {
    const unlabelled: V1Namespace = { metadata: { name: 'prod', creationTimestamp: ago(10 * 86_400_000) } };
    const terminating = ns('c-0', 'c', 3_600_000, { deletionTimestamp: ago(1_000) });
    const foreign: V1Namespace = { metadata: { name: 'd-0', labels: { 'app.kubernetes.io/managed-by': 'helm', 'drainspec.io/run-id': 'd' }, creationTimestamp: ago(3_600_000) } };
    expect(judgeRuns([unlabelled, terminating, foreign, ns('e-0', undefined, 3_600_000)], new Map(), NOW, LAPSE_DEFAULTS)).toEqual([]);
  });
});
