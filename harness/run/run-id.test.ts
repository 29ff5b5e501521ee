import { describe, expect, test } from 'vitest';
import { namespaceName } from '../k8s/namespace.ts';
import { newRunId } from './run-id.ts';

describe('run ids', () => {
  test('sortable by time, and namespace names built from them are DNS labels', () => {
    const id = newRunId(new Date('2026-11-24T22:31:05Z'), () => 0.5);
    expect(id).toBe('261124223105-i00');
    const ns = namespaceName(id, 12);
    expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(ns.length).toBeLessThanOrEqual(63);
  });
});
