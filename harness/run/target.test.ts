import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../config/defaults.ts';
import { DEFAULT_MATRIX } from '../scenarios/catalogue.ts';
import { couldNotTestReason } from './run-matrix.ts';
import { openTarget, plannedScenarios } from './target.ts';
import { createProgress } from '../progress/progress.ts';

const config = (patch: Partial<DrainspecConfig>): DrainspecConfig => ({ ...DEFAULT_CONFIG, ...patch });

describe('plannedScenarios', () => {
  test('the sample matrix on kind runs every scenario', () => {
    expect(plannedScenarios(DEFAULT_CONFIG, true)).toEqual({ scenarios: [...DEFAULT_MATRIX], skipped: [] });
  });
  test('your image gets the your-app matrix; no second tag skips image-change', () => {
    const { scenarios } = plannedScenarios(config({ app: { ...DEFAULT_CONFIG.app, image: 'registry.example/app:1' } }), false);
    expect(scenarios.every((s) => s.app === 'your-app' && s.expected.verdict === 'pass')).toBe(true);
    expect(scenarios.some((s) => s.trigger === 'image-change')).toBe(false);
  });
  test('an existing cluster never gets its nodes cordoned', () => {
    const { scenarios, skipped } = plannedScenarios(config({ provider: 'existing' }), false);
    expect(scenarios.some((s) => s.trigger === 'node-drain' || s.trigger === 'image-change')).toBe(false);
    expect(skipped).toEqual(['graceful/image-change/slow (needs a second tag of the image)', 'graceful/node-drain/keepalive (cordons a shared node)']);
  });
  test('a scenario glob that matches nothing is a one-line error', () => {
    expect(() => plannedScenarios(config({ scenarios: ['nope/*'] }), true)).toThrow(/--scenario nope\/\* matches none of/);
  });
});

describe('couldNotTestReason', () => {
  test('API errors by their reason, others by the first line of their message', () => {
    expect(couldNotTestReason({ code: 403, body: JSON.stringify({ message: 'pods is forbidden' }) })).toBe('forbidden (RBAC): pods is forbidden');
    expect(couldNotTestReason(new Error('timed out waiting for app to settle\nmore'))).toBe('timed out waiting for app to settle');
  });
});

describe('openTarget on an existing cluster', () => {
  test('an API server that does not answer is a one-line set-up error naming the context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    // A loopback port that was just free: nothing listens there, so the connection is refused at once.
    const port = await freePort();
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'other',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'secret-token' } }],
      contexts: [{ name: 'staging', context: { cluster: 'c', user: 'u' } }, { name: 'other', context: { cluster: 'c', user: 'u' } }],
    }));
    try {
      const existing = config({ provider: 'existing', existing: { kubeconfig, context: 'staging' }, app: { ...DEFAULT_CONFIG.app, image: 'registry.example/app:1' } });
      const error = await openTarget(existing, createProgress()).then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).toMatch(/^cannot use context staging: API server unreachable \(ECONNREFUSED\)$/);
      expect(error?.message).not.toContain('secret-token');
      await expect(openTarget(config({ ...existing, existing: { kubeconfig, context: 'prod' } }), createProgress())).rejects.toThrow(/context "prod" not found: pass --context with one of staging, other/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  }));
}
