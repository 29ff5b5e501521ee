// The bad-input table: every way a user (or a hostile tester) can get the input wrong, run through the real CLI
// (bin/drainspec.js under this Node) in an empty directory with an empty HOME. Each must end in exit 2 with exactly
// one line on stderr naming the flag, variable or file (and line) to fix — no stack trace, no hang, nothing left
// behind. Cases that need a cluster get a fake API server on 127.0.0.1 instead.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { refusingUrl, startFakeApiServer, writeKubeconfig, type FakeApiServer, type FakeBehaviour } from '../k8s/fake-api-server.ts';

const BIN = fileURLToPath(new URL('../../bin/drainspec.js', import.meta.url));
/** Well past the connect check's 15 s even on a loaded machine: a case still running then has hung. */
const HANG_MS = 45_000;
/** CLI processes at once: each start-up is a second of CPU (type stripping, client-node), so no more than the cores. */
const PARALLEL = Math.max(2, availableParallelism() - 1);

interface BadInput {
  name: string;
  /** argv after `drainspec`; `{kubeconfig}` is the case's kubeconfig (pointing at its server), `{dir}` its directory. */
  args: string[];
  env?: Record<string, string>;
  /** Files to create, relative to the case's directory; a name ending in / is an empty directory. */
  files?: Record<string, string>;
  /** The API server `{kubeconfig}` points at. */
  server?: FakeBehaviour | 'refused';
  /** The one stderr line, after `drainspec: `. */
  line: string | RegExp;
  /** Upper bound from the server's first connection to the CLI's exit: the connect check, not Node's start-up. */
  withinMs?: number;
}

/** Past config validation, your image on an existing cluster: nothing of kind or Docker is touched. */
const existing = ['run', '--provider', 'existing', '--context', 'fake', '--image', 'registry.example/app:1'];
const viaKubeconfig = [...existing, '--kubeconfig', '{kubeconfig}'];
const withManifests = (path: string) => ['run', '--provider', 'existing', '--context', 'fake', '--kubeconfig', '{kubeconfig}', '--manifests', path];

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers: [{ name: web, image: "registry.example/web:1" }]\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n';
const kubeconfigWith = (contexts: object[], clusters: object[] = []) => JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters, users: [{ name: 'u', user: { token: 't' } }], contexts });
const anyServer = '\\(server http://127.0.0.1:\\d+\\)';

const CASES: BadInput[] = [
  // Flags.
  { name: 'an unknown flag', args: ['run', '--bogus'], line: 'unknown flag --bogus (see drainspec --help)' },
  { name: 'a mistyped flag', args: ['run', '--rat', '5'], line: 'unknown flag --rat: did you mean --rate? (see drainspec --help)' },
  { name: 'a flag missing its value (last)', args: ['run', '--rate'], line: '--rate needs a value (see drainspec --help)' },
  { name: 'a flag missing its value (another flag follows)', args: ['run', '--image', '--port', '8080'], line: '--image needs a value, but is followed by --port (see drainspec --help)' },
  { name: 'a non-numeric number', args: ['run', '--rate', 'abc'], line: '--rate expects a whole number, got "abc"' },
  { name: 'a fractional count', args: ['run', '--replicas', '1.5'], line: '--replicas expects a whole number, got "1.5"' },
  { name: 'a negative value', args: ['run', '--grace-period', '-5'], line: '--grace-period expects a positive value, got "-5"' },
  { name: 'a negative value after =', args: ['run', '--rate=-5'], line: '--rate must be a whole number in 1..20000, got -5' },
  { name: 'zero connections', args: ['run', '--connections', '0'], line: '--connections must be a whole number in 1..256, got 0' },
  { name: 'too many repeats', args: ['run', '--repeat', '11'], line: '--repeat must be a whole number in 1..10, got 11' },
  { name: 'an unknown provider', args: ['run', '--provider', 'eks'], line: '--provider must be kind or existing, got "eks"' },
  { name: 'a value given to a switch', args: ['run', '--keep-cluster=yes'], line: '--keep-cluster is a switch and takes no value: drop "=yes"' },
  { name: 'an unknown command', args: ['deploy'], line: 'unknown command "deploy": use run, list, cluster up|down or report open' },
  { name: 'a stray argument', args: ['run', 'now'], line: 'unexpected argument "now" after run (see drainspec --help)' },
  { name: 'an unsupported method', args: ['run', '--method', 'PUT'], line: '--method must be GET or POST, got "PUT"' },
  { name: 'a status outside 100-599', args: ['run', '--ok-status', '700'], line: /^--ok-status "700": "700" is not a status or range of statuses/ },
  { name: 'a path without a leading /', args: ['run', '--path', 'api'], line: '--path must start with /, got "api"' },
  { name: 'an unknown client model', args: ['run', '--clients', 'lazy'], line: '--clients must be strict or retrying, got "lazy"' },
  { name: 'a cluster name that is not a DNS label', args: ['run', '--cluster-name', 'My_Cluster'], line: '--cluster-name "My_Cluster" must be a DNS label (lowercase letters, digits, -)' },
  { name: 'existing without a context', args: ['run', '--provider', 'existing', '--image', 'registry.example/app:1'], line: '--context (existing.context in drainspec.config.ts) is required with --provider existing: name the kubeconfig context drainspec may use' },
  { name: 'a context without --provider existing', args: ['run', '--context', 'staging'], line: '--context is for --provider (provider in drainspec.config.ts) existing: add --provider existing to use it, or drop it to run on the local kind cluster' },
  { name: 'existing without an image or manifests', args: ['run', '--provider', 'existing', '--context', 'fake'], line: '--provider existing needs --image or --manifests (your app) or --sample-image (the sample app pushed to a registry the cluster can pull)' },
  { name: 'a port past 65535', args: ['run', '--port', '70000'], line: '--port must be a whole number in 1..65535, got 70000' },
  { name: 'both an image and manifests', args: ['run', '--image', 'app:1', '--manifests', 'deploy'], line: 'give either --image or --manifests, not both' },
  { name: "the sample app's drain delay past the grace period", args: ['run', '--drain-delay-ms', '20000'], line: /^--drain-delay-ms \(20000\) must be ≥ 0 and shorter than --grace-period \(rollout.terminationGracePeriodSeconds in drainspec.config.ts\) \(15 s\)/ },
  { name: 'a scenario glob that matches nothing', args: [...existing, '--kubeconfig', '{kubeconfig}', '--scenario', 'nope/*'], server: 'refused', line: /^--scenario nope\/\* matches none of / },
  // Images.
  { name: 'an invalid image reference', args: ['run', '--image', 'Bad Image:::tag'], line: /^--image "Bad Image:::tag" is not a valid image reference: expected / },
  { name: 'an invalid image reference from env', args: ['run'], env: { DRAINSPEC_APP_IMAGE: 'Registry/App:1' }, line: /^DRAINSPEC_APP_IMAGE "Registry\/App:1" is not a valid image reference/ },
  { name: 'an invalid sample image', args: ['run', '--sample-image', 'x::y'], line: /^--sample-image "x::y" is not a valid image reference/ },
  // Environment variables.
  { name: 'a hex repeat count', args: ['run'], env: { DRAINSPEC_REPEAT: '0x2' }, line: 'DRAINSPEC_REPEAT must be a whole number, got "0x2"' },
  { name: 'a non-numeric repeat count', args: ['run'], env: { DRAINSPEC_REPEAT: 'abc' }, line: 'DRAINSPEC_REPEAT must be a whole number, got "abc"' },
  { name: 'a fractional port', args: ['run'], env: { DRAINSPEC_APP_PORT: '80.5' }, line: 'DRAINSPEC_APP_PORT must be a whole number, got "80.5"' },
  { name: 'a switch that is neither 1 nor 0', args: ['run'], env: { DRAINSPEC_KEEP_CLUSTER: 'yes' }, line: 'DRAINSPEC_KEEP_CLUSTER must be 1 or 0 (true or false), got "yes"' },
  { name: 'an unknown provider from env', args: ['run'], env: { DRAINSPEC_PROVIDER: 'gke' }, line: 'DRAINSPEC_PROVIDER must be kind or existing, got "gke"' },
  { name: 'an unknown client model from env', args: ['run'], env: { DRAINSPEC_CLIENTS: 'lazy' }, line: 'DRAINSPEC_CLIENTS must be strict or retrying, got "lazy"' },
  // The config file.
  { name: 'a config syntax error', args: ['run'], files: { 'drainspec.config.ts': 'export default {\n  repeat: 2,\n  rollout: { replicas: 3 \n  load: {},\n};\n' }, line: "drainspec.config.ts:4: Expected ',', got 'ident'" },
  { name: 'a config that throws', args: ['run'], files: { 'drainspec.config.ts': 'const nothing = undefined as unknown as { a: number };\nexport default { repeat: nothing.a };\n' }, line: "drainspec.config.ts:2: Cannot read properties of undefined (reading 'a')" },
  { name: 'a config importing a missing file', args: ['run'], files: { 'drainspec.config.ts': "import { shared } from './shared.ts';\nexport default shared;\n" }, line: /^drainspec.config.ts: Cannot find module '.*\/shared.ts' imported from / },
  { name: 'scenarios given as a string', args: ['run'], files: { 'drainspec.config.ts': "export default { scenarios: 'graceful/**' };\n" }, line: 'scenarios in drainspec.config.ts must be a list of strings, got "graceful/**"' },
  { name: 'a number where a path goes', args: ['run'], files: { 'drainspec.config.ts': 'export default { app: { requestPath: 5 } };\n' }, line: 'app.requestPath in drainspec.config.ts must be a string, got 5' },
  { name: 'an unknown top-level key', args: ['run'], files: { 'drainspec.config.ts': 'export default { rollot: {} };\n' }, line: /^unknown key "rollot" in drainspec.config.ts: the keys here are provider, cluster, existing, app, scenarios, via, ingress, rollout,/ },
  { name: 'an unknown nested key', args: ['run'], files: { 'drainspec.config.ts': 'export default { load: { rps: 400 } };\n' }, line: /^unknown key "load.rps" in drainspec.config.ts: the keys here are load.connections, load.requestsPerSecond, load.requestTimeoutMs/ },
  { name: 'no default export', args: ['run'], files: { 'drainspec.config.ts': 'export const config = { repeat: 2 };\n' }, line: 'drainspec.config.ts has no default export: use export default defineConfig({...})' },
  { name: 'a default export that is not an object', args: ['run'], files: { 'drainspec.config.ts': 'export default 42;\n' }, line: 'drainspec.config.ts must export an object (export default defineConfig({...})), got 42' },
  { name: 'an out-of-range value in the file', args: ['run'], files: { 'drainspec.config.ts': 'export default { load: { requestsPerSecond: 0 } };\n' }, line: 'load.requestsPerSecond in drainspec.config.ts must be a whole number in 1..20000, got 0' },
  { name: 'a --config that does not exist', args: ['run', '--config', 'ci.config.ts'], line: /^config file \/.*\/ci.config.ts not found: check --config$/ },
  { name: 'a --config that is a directory', args: ['run', '--config', 'conf'], files: { 'conf/': '' }, line: /^config file \/.*\/conf is a directory: give --config a drainspec.config.ts file$/ },
  // Manifests.
  { name: 'manifests that do not exist', args: withManifests('deploy'), server: 'refused', line: '--manifests deploy not found: give a YAML file or a directory of them' },
  { name: 'a manifests directory without YAML', args: withManifests('deploy'), files: { 'deploy/': '' }, server: 'refused', line: '--manifests deploy is a directory without .yaml or .yml files: give the file or directory holding your Deployment and Service' },
  { name: 'manifests that are not valid YAML', args: withManifests('deploy'), files: { 'deploy/app.yaml': 'kind: Deployment\nmetadata:\n  name: web\n   labels: {}\n' }, server: 'refused', line: 'deploy/app.yaml:4: not valid YAML: bad indentation of a mapping entry' },
  { name: 'manifests without a Deployment', args: withManifests('svc.yaml'), files: { 'svc.yaml': SERVICE }, server: 'refused', line: '--manifests must hold exactly one Deployment, found 0' },
  { name: 'manifests with two Deployments', args: withManifests('two.yaml'), files: { 'two.yaml': `${DEPLOYMENT}---\n${DEPLOYMENT.replace('name: web', 'name: web2')}---\n${SERVICE}` }, server: 'refused', line: '--manifests must hold exactly one Deployment, found 2' },
  { name: 'manifests without a Service for the Deployment', args: withManifests('web.yaml'), files: { 'web.yaml': DEPLOYMENT }, server: 'refused', line: "--manifests must hold exactly one Service selecting Deployment web's pods, found 0" },
  // Kubeconfig and context.
  { name: 'a kubeconfig that does not exist', args: [...existing, '--kubeconfig', 'missing.yaml'], line: /^kubeconfig \/.*\/missing.yaml not found: check --kubeconfig$/ },
  { name: 'a kubeconfig that is a directory', args: [...existing, '--kubeconfig', 'kube'], files: { 'kube/': '' }, line: /^kubeconfig \/.*\/kube is a directory, not a file: check --kubeconfig$/ },
  { name: 'a kubeconfig that is not YAML', args: [...existing, '--kubeconfig', 'kube.yaml'], files: { 'kube.yaml': 'clusters:\n- name: a\n  cluster: {server: [}\n' }, line: /^kubeconfig \/.*\/kube.yaml is not a valid kubeconfig: / },
  { name: 'a kubeconfig from env that does not exist', args: existing, env: { DRAINSPEC_KUBECONFIG: 'missing.yaml' }, line: /^kubeconfig \/.*\/missing.yaml not found: check DRAINSPEC_KUBECONFIG$/ },
  { name: 'a KUBECONFIG that does not exist', args: existing, env: { KUBECONFIG: 'missing.yaml' }, line: /^kubeconfig \/.*\/missing.yaml not found: check KUBECONFIG$/ },
  { name: 'no kubeconfig anywhere', args: existing, line: /^no kubeconfig: \/.*\/home\/.kube\/config does not exist and KUBECONFIG is unset: name a kubeconfig with --kubeconfig \(existing.kubeconfig in drainspec.config.ts\)$/ },
  { name: 'no such context', args: ['run', '--provider', 'existing', '--context', 'prod', '--image', 'app:1', '--kubeconfig', '{kubeconfig}'], server: 'refused', line: /^kubeconfig context "prod" not found in kubeconfig \/.*: pass --context with one of fake$/ },
  { name: 'no such context from env', args: ['run', '--provider', 'existing', '--image', 'app:1', '--kubeconfig', '{kubeconfig}'], env: { DRAINSPEC_CONTEXT: 'prod' }, server: 'refused', line: /^kubeconfig context "prod" not found in kubeconfig \/.*: pass DRAINSPEC_CONTEXT with one of fake$/ },
  { name: 'a context without its cluster', args: [...existing, '--kubeconfig', 'kube.json'], files: { 'kube.json': kubeconfigWith([{ name: 'fake', context: { cluster: 'gone', user: 'u' } }]) }, line: /^context "fake" names cluster "gone", which kubeconfig \/.*\/kube.json does not define: add it or pass another --context$/ },
  { name: 'a context without its user', args: [...existing, '--kubeconfig', 'kube.json'], files: { 'kube.json': kubeconfigWith([{ name: 'fake', context: { cluster: 'c', user: 'nobody' } }], [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }]) }, line: /^context "fake" names user "nobody", which kubeconfig \/.*\/kube.json does not define: add it or pass another --context$/ },
  { name: 'a plain-http server without insecure-skip-tls-verify', args: [...existing, '--kubeconfig', 'kube.json'], files: { 'kube.json': kubeconfigWith([{ name: 'fake', context: { cluster: 'c', user: 'u' } }], [{ name: 'c', cluster: { server: 'http://127.0.0.1:1' } }]) }, line: 'cannot use context fake (server http://127.0.0.1:1): plain http:// to the API server needs insecure-skip-tls-verify: true on the kubeconfig\'s cluster (or use https://)' },
  // API server behaviours.
  { name: 'a server that refuses connections', args: viaKubeconfig, server: 'refused', line: new RegExp(`^cannot use context fake ${anyServer}: API server unreachable \\(ECONNREFUSED\\)$`) },
  { name: 'a server that accepts and never answers', args: viaKubeconfig, server: 'silent', withinMs: 15_000, line: new RegExp(`^cannot use context fake ${anyServer}: API server did not answer within 10 s \\(GET /api/v1/namespaces\\)$`) },
  { name: 'a server that answers once, then stalls', args: viaKubeconfig, server: 'stall-after-first', withinMs: 15_000, line: new RegExp(`^cannot use context fake ${anyServer}: API server did not answer within 10 s \\(GET /[a-z0-9/.-]+\\)$`) },
  { name: 'a URL that answers HTML', args: viaKubeconfig, server: 'html', line: new RegExp(`^cannot use context fake ${anyServer}: the server answered with text/html, not the Kubernetes API: is the server URL right\\?$`) },
  { name: 'credentials the server rejects (401)', args: viaKubeconfig, server: 'unauthorized', line: new RegExp(`^cannot use context fake ${anyServer}: unauthorized \\(HTTP 401\\): the server rejected the credentials: refresh them in the kubeconfig$`) },
  { name: 'credentials without the rights (403)', args: viaKubeconfig, server: 'forbidden', line: new RegExp(`^cannot use context fake ${anyServer}: forbidden \\(RBAC\\): namespaces is forbidden: `) },
  // A short grace period is the user's to test: not refused for their app because of the sample app's drain delay.
  { name: '--grace-period 5 for your image (gets as far as the cluster)', args: [...viaKubeconfig, '--grace-period', '5'], server: 'refused', line: new RegExp(`^cannot use context fake ${anyServer}: API server unreachable \\(ECONNREFUSED\\)$`) },
  { name: '--grace-period 2 for your manifests (gets as far as the cluster)', args: [...withManifests('web.yaml'), '--grace-period', '2'], files: { 'web.yaml': `${DEPLOYMENT}---\n${SERVICE}` }, server: 'refused', line: new RegExp(`^cannot use context fake ${anyServer}: API server unreachable \\(ECONNREFUSED\\)$`) },
];

const root = mkdtempSync(join(tmpdir(), 'drainspec-bad-input-'));
const servers: FakeApiServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

let running = 0;
const queued: Array<() => void> = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => queued.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    queued.shift()?.();
  }
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  endedAtMs: number;
}

function runCli(args: string[], cwd: string, env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const hang = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hung: still running after ${HANG_MS / 1000} s (stderr so far: ${stderr.trim() || 'nothing'})`));
    }, HANG_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(hang);
      resolve({ code, stdout, stderr, endedAtMs: Date.now() });
    });
  });
}

function listTree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    return entry.isDirectory() ? [`${path}/`, ...listTree(join(dir, entry.name), `${path}/`)] : [path];
  }).sort();
}

describe('bad input: one line naming what to fix, exit 2', () => {
  test('the table covers at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  // Queued behind each other (PARALLEL at a time), so the test's own timeout covers the queue as well.
  test.concurrent.for(CASES)('$name', { timeout: HANG_MS + Math.ceil(CASES.length / PARALLEL) * 15_000 }, async (badInput: BadInput) => {
    const dir = join(root, String(CASES.indexOf(badInput)));
    const work = join(dir, 'work');
    const home = join(dir, 'home');
    const cache = join(dir, 'cache');
    for (const path of [work, home]) mkdirSync(path, { recursive: true });
    for (const [name, text] of Object.entries(badInput.files ?? {})) {
      const path = join(work, name);
      if (name.endsWith('/')) {
        mkdirSync(path, { recursive: true });
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    let kubeconfig = join(dir, 'no-server-kubeconfig');
    let server: FakeApiServer | undefined;
    if (badInput.server === 'refused') {
      kubeconfig = writeKubeconfig(await refusingUrl(), 'fake', dir);
    } else if (badInput.server) {
      server = await startFakeApiServer(badInput.server);
      servers.push(server);
      kubeconfig = writeKubeconfig(server.url, 'fake', dir);
    }
    const before = listTree(work);
    const args = badInput.args.map((a) => a.replace('{kubeconfig}', kubeconfig).replace('{dir}', work));
    const env = { PATH: process.env.PATH ?? '', HOME: home, DRAINSPEC_CACHE_DIR: cache, ...badInput.env };

    const outcome = await limited(() => runCli(args, work, env));

    const lines = outcome.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, `stderr:\n${outcome.stderr}\nstdout:\n${outcome.stdout}`).toHaveLength(1);
    const [line] = lines as [string];
    expect(line.startsWith('drainspec: ')).toBe(true);
    const said = line.slice('drainspec: '.length);
    if (typeof badInput.line === 'string') expect(said).toBe(badInput.line);
    else expect(said).toMatch(badInput.line);
    expect(`${outcome.stdout}${outcome.stderr}`).not.toMatch(/^\s+at .*[(:]\d+/m);
    expect(outcome.code).toBe(2);
    if (badInput.withinMs) expect(outcome.endedAtMs - (server?.firstConnectionAtMs ?? 0)).toBeLessThan(badInput.withinMs);
    // Nothing left behind: no report directory, no new file, no run marker in the cache.
    expect(listTree(work)).toEqual(before);
    expect(listTree(join(cache, 'runs')).filter((f) => !f.endsWith('.log'))).toEqual([]);
  });
});
