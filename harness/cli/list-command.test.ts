import { describe, expect, test } from 'vitest';
import { mergeConfig } from '../config/define-config.ts';
import { listScenarios } from './list-command.ts';

describe('drainspec list', () => {
  test('the sample app matrix with both client models’ expectations, the deciding one marked', () => {
    const text = listScenarios(mergeConfig({}));
    expect(text).toMatch(/^19 scenarios for the sample app on kind \(cluster drainspec\), each run 1×/);
    expect(text).toMatch(/scenario +strict clients \(decides\) +retrying clients\n/);
    expect(text).toMatch(/\ndelayed-close\/rollout-restart\/keepalive +fail: keepalive-race +pass\n/);
    expect(text).toMatch(/\nclose-only\/rollout-restart\/keepalive +fail: keepalive-race +fail: refused-before-endpoint-removal\n/);
  });

  test('selection, your image, retrying clients deciding, and what the target cannot run', () => {
    const text = listScenarios(mergeConfig({ app: { image: 'registry.example/app:1', ssePath: '/events' }, scenarios: ['*/rollout-restart/*'], clients: 'retrying' }));
    expect(text).toMatch(/^3 scenarios for your image registry.example\/app:1/);
    expect(text).toContain('retrying clients (decides)');
    expect(text).toMatch(/your-app\/rollout-restart\/sse +pass +pass/);
    const existing = listScenarios(mergeConfig({ provider: 'existing', existing: { context: 'staging' }, app: { image: 'a:1' } }));
    expect(existing).toContain('on context staging');
    expect(existing).toContain('not on this target: your-app/node-drain/keepalive (cordons a shared node)');
  });
});
