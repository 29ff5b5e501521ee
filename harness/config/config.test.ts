import { availableParallelism } from 'node:os';
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
    expect(() => validateConfig(mergeConfig({ provider: 'existing' }))).toThrow(/^--context \(existing.context in drainspec.config.ts\) is required with --provider \(provider in drainspec.config.ts\) existing/);
  });
  test('a drain delay longer than the grace period is rejected for the sample app only', () => {
    expect(() => validateConfig(mergeConfig({ rollout: { drainDelayMs: 20_000, terminationGracePeriodSeconds: 10 } }))).toThrow(/--drain-delay-ms .* must be ≥ 0 and shorter than --grace-period/);
    // Your app drains by its own settings: a short grace period is yours to test.
    expect(() => validateConfig(mergeConfig({ app: { image: 'registry.example/app:1' }, rollout: { terminationGracePeriodSeconds: 2 } }))).not.toThrow();
    expect(() => validateConfig(mergeConfig({ app: { manifests: 'deploy/' }, rollout: { terminationGracePeriodSeconds: 5 } }))).not.toThrow();
  });
  test('image references are checked before anything uses them', () => {
    expect(() => validateConfig(mergeConfig({ app: { image: 'Bad Image:::tag' } }))).toThrow(/^--image \(app.image in drainspec.config.ts\) "Bad Image:::tag" is not a valid image reference/);
    for (const ref of ['app', 'app:1.2', 'registry.example:5000/team/app:1', `ghcr.io/o/app@sha256:${'a'.repeat(64)}`, 'localhost/app_x:v1-rc.1']) {
      expect(() => validateConfig(mergeConfig({ app: { image: ref } }))).not.toThrow();
    }
  });
  test('non-positive numbers are rejected with the option name', () => {
    expect(() => validateConfig(mergeConfig({ load: { connections: 0 } }))).toThrow('--connections (load.connections in drainspec.config.ts) must be a whole number in 1..256, got 0');
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

describe('every problem names what the user typed', async () => {
  const { loadConfig } = await import('./load-config.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const problem = (config: Promise<unknown>) => config.then(() => '(valid)', (error: Error) => error.message);
  const withFile = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-config-'));
    writeFileSync(join(dir, 'drainspec.config.ts'), text);
    return dir;
  };

  test('a flag, an env var and a file key are each named as set', async () => {
    expect(await problem(loadConfig({ load: { requestsPerSecond: 0 } }, undefined, tmpdir(), {}))).toBe('--rate must be a whole number in 1..20000, got 0');
    expect(await problem(loadConfig({}, undefined, tmpdir(), { DRAINSPEC_CLIENTS: 'lazy' }))).toBe('DRAINSPEC_CLIENTS must be strict or retrying, got "lazy"');
    expect(await problem(loadConfig({}, undefined, withFile('export default { load: { requestsPerSecond: 0 } };\n'), {}))).toBe('load.requestsPerSecond in drainspec.config.ts must be a whole number in 1..20000, got 0');
  });
  test('parallel: DRAINSPEC_PARALLEL or --parallel, one per core by default (at most 10), one NodePort per scenario at most', async () => {
    expect((await loadConfig({}, undefined, tmpdir(), {})).parallel).toBe(Math.min(availableParallelism(), 10));
    expect((await loadConfig({}, undefined, tmpdir(), { DRAINSPEC_PARALLEL: '3' })).parallel).toBe(3);
    expect((await loadConfig({ parallel: 2 }, undefined, tmpdir(), { DRAINSPEC_PARALLEL: '3' })).parallel).toBe(2);
    expect(await problem(loadConfig({}, undefined, tmpdir(), { DRAINSPEC_PARALLEL: '11' }))).toBe('DRAINSPEC_PARALLEL must be a whole number in 1..10, got 11');
    expect(await problem(loadConfig({ parallel: 0 }, undefined, tmpdir(), {}))).toBe('--parallel must be a whole number in 1..10, got 0');
  });

  test('env numbers and switches are parsed strictly', async () => {
    expect(await problem(loadConfig({}, undefined, tmpdir(), { DRAINSPEC_REPEAT: '0x2' }))).toBe('DRAINSPEC_REPEAT must be a whole number, got "0x2"');
    expect(await problem(loadConfig({}, undefined, tmpdir(), { DRAINSPEC_APP_PORT: 'abc' }))).toBe('DRAINSPEC_APP_PORT must be a whole number, got "abc"');
    expect(await problem(loadConfig({}, undefined, tmpdir(), { DRAINSPEC_KEEP_CLUSTER: 'yes' }))).toBe('DRAINSPEC_KEEP_CLUSTER must be 1 or 0 (true or false), got "yes"');
  });
  test('wrong types and unknown keys in the file are named with the file', async () => {
    expect(await problem(loadConfig({}, undefined, withFile("export default { scenarios: 'graceful/**' };\n"), {}))).toBe('scenarios in drainspec.config.ts must be a list of strings, got "graceful/**"');
    expect(await problem(loadConfig({}, undefined, withFile('export default { app: { requestPath: 5 } };\n'), {}))).toBe('app.requestPath in drainspec.config.ts must be a string, got 5');
    expect(await problem(loadConfig({}, undefined, withFile('export default { load: { rps: 5 } };\n'), {}))).toMatch(/^unknown key "load.rps" in drainspec.config.ts: the keys here are load.connections, load.requestsPerSecond, load.requestTimeoutMs/);
    expect(await problem(loadConfig({}, undefined, withFile('export default 42;\n'), {}))).toMatch(/^drainspec.config.ts must export an object/);
    expect(await problem(loadConfig({}, undefined, withFile('export const config = {};\n'), {}))).toBe('drainspec.config.ts has no default export: use export default defineConfig({...})');
  });
  // The exact syntax message is Node's (the bad-input table runs the CLI); vitest's transform words it differently.
  test('a file that does not load is named with its line', async () => {
    expect(await problem(loadConfig({}, undefined, withFile('export default {\n  repeat: 2,\n  rollout: { replicas: 3 \n  load: {},\n};\n'), {}))).toMatch(/^drainspec.config.ts:4: /);
    expect(await problem(loadConfig({}, undefined, withFile('const nothing = undefined as unknown as { a: number };\nexport default { repeat: nothing.a };\n'), {}))).toBe("drainspec.config.ts:2: Cannot read properties of undefined (reading 'a')");
  });
});
