import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from './defaults.ts';
import { mergeConfig } from './define-config.ts';
import { validateConfig } from './validate.ts';

describe('config merging', () => {
  test('later layers override earlier ones, objects merge key by key', () => {
    const config = mergeConfig({ rollout: { replicas: 5 } }, { rollout: { drainDelayMs: 1000 }, scenarios: ['graceful/**'] });
    expect(config.rollout).toEqual({ ...DEFAULT_CONFIG.rollout, replicas: 5, drainDelayMs: 1000 });
    expect(config.scenarios).toEqual(['graceful/**']);
    expect(DEFAULT_CONFIG.rollout.replicas).toBe(3);
  });
  test('an unknown key is an error naming it', () => {
    expect(() => mergeConfig({ rollot: {} } as never)).toThrow('unknown config key "rollot"');
  });
});

describe('config validation', () => {
  test('the defaults are valid', () => {
    expect(() => validateConfig(DEFAULT_CONFIG)).not.toThrow();
  });
  test('existing provider without a context names the flag', () => {
    expect(() => validateConfig(mergeConfig({ provider: 'existing' }))).toThrow(/--context is required/);
  });
  test('a drain delay longer than the grace period is rejected', () => {
    expect(() => validateConfig(mergeConfig({ rollout: { drainDelayMs: 20_000, terminationGracePeriodSeconds: 10 } }))).toThrow(/drainDelayMs/);
  });
  test('non-positive numbers are rejected with the option name', () => {
    expect(() => validateConfig(mergeConfig({ load: { connections: 0 } }))).toThrow(/load.connections must be an integer/);
  });
});

describe('config layers', async () => {
  const { loadConfig } = await import('./load-config.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');

  test('file < env < flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-config-'));
    writeFileSync(join(dir, 'drainspec.config.ts'), 'export default { repeat: 2, reportDir: "from-file", rollout: { replicas: 4 } };\n');
    const config = await loadConfig({ reportDir: 'from-flag' }, undefined, dir, { DRAINSPEC_REPEAT: '5' });
    expect(config.reportDir).toBe('from-flag');
    expect(config.repeat).toBe(5);
    expect(config.rollout.replicas).toBe(4);
  });
  test('a named config file that is missing is an error naming the flag', async () => {
    await expect(loadConfig({}, 'nope.config.ts', tmpdir(), {})).rejects.toThrow(/not found: check --config/);
  });
});
