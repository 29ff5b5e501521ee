import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../config/defaults.ts';
import { DEFAULT_MATRIX } from '../scenarios/catalogue.ts';
import { couldNotTestReason } from './run-matrix.ts';
import { plannedScenarios } from './target.ts';

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
