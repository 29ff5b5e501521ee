// actionlint over our workflows and the action they use (`uses: ./` makes it check action.yml's inputs), built from
// its Go module once per pinned version into the content cache (like the air-gapped node binaries): the first run
// builds it (about a minute), later runs start at once. `node tools/actionlint.ts [files…]`; npm run lint runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheEntry, cacheRoot, contentKey } from '../harness/cache/content-cache.ts';
import { hasCommand, runLogged } from '../harness/sh.ts';

export const ACTIONLINT_VERSION = 'v1.7.12';
const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';

async function goBinary(): Promise<string> {
  if (await hasCommand('go')) return 'go';
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('go not found: install Go ≥ 1.24 (actionlint is built from its Go module)');
}

/** The actionlint binary for the pinned version, built when missing. */
export async function ensureActionlint(): Promise<string> {
  const entry = cacheEntry('actionlint', contentKey([ACTIONLINT_MODULE, ACTIONLINT_VERSION, process.platform, process.arch]));
  const binary = join(entry.dir, 'actionlint');
  if (entry.isComplete() && existsSync(binary)) return binary;
  mkdirSync(join(cacheRoot(), 'logs'), { recursive: true });
  const log = join(cacheRoot(), 'logs', 'actionlint-build.log');
  await runLogged(await goBinary(), ['install', '-trimpath', '-ldflags', '-s -w', `${ACTIONLINT_MODULE}@${ACTIONLINT_VERSION}`], log, { env: { GOBIN: entry.dir, CGO_ENABLED: '0' } });
  entry.markComplete();
  return binary;
}

/** Runs actionlint in `cwd` (default: the repository's workflows); returns its exit code and output. */
export async function actionlint(files: readonly string[] = [], cwd = process.cwd()): Promise<{ code: number; output: string }> {
  const result = spawnSync(await ensureActionlint(), ['-no-color', ...files], { cwd, encoding: 'utf8' });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { code, output } = await actionlint(process.argv.slice(2));
  process.stdout.write(output);
  process.exitCode = code;
}
