import { describe, expect, test } from 'vitest';
import { isKindCreate } from './cleanup.ts';
import { clusterToDelete } from './footprint.ts';

describe('clusterToDelete', () => {
  const cluster = { name: 'drainspec', createdByRun: true, keep: false, ready: true };
  test('a cluster the run created goes, unless kept once ready; a half-created one goes even when kept', () => {
    expect(clusterToDelete({ runId: 'r', cluster })).toBe('drainspec');
    expect(clusterToDelete({ runId: 'r', cluster: { ...cluster, keep: true } })).toBeUndefined();
    expect(clusterToDelete({ runId: 'r', cluster: { ...cluster, keep: true, ready: false } })).toBe('drainspec');
  });

  test('a cluster the run reused, or an existing cluster, is never deleted', () => {
    expect(clusterToDelete({ runId: 'r', cluster: { ...cluster, createdByRun: false } })).toBeUndefined();
    expect(clusterToDelete({ runId: 'r', context: 'staging' })).toBeUndefined();
  });
});

describe('isKindCreate', () => {
  test('matches kind creating that cluster only', () => {
    expect(isKindCreate(['/cache/bin/kind', 'create', 'cluster', '--name', 'drainspec', '--config', 'x'], 'drainspec')).toBe(true);
    expect(isKindCreate(['kind', 'create', 'cluster', '--name=drainspec'], 'drainspec')).toBe(true);
    expect(isKindCreate(['kind', 'create', 'cluster', '--name', 'drainspec-2'], 'drainspec')).toBe(false);
    expect(isKindCreate(['kind', 'delete', 'cluster', '--name', 'drainspec'], 'drainspec')).toBe(false);
    expect(isKindCreate(['node', 'bin/drainspec.js', 'run', '--cluster-name', 'drainspec'], 'drainspec')).toBe(false);
  });
});
