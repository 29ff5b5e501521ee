// The package's own files (recipes, Dockerfiles, the sample app's sources) and version, found from the package root:
// the repo when running from sources, node_modules/drainspec when installed and running from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'drainspec') return dir;
    if (dirname(dir) === dir) throw new Error(`no drainspec package.json above ${from}: reinstall drainspec`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A file shipped with the package, by its path in the repository (`harness/engine/runc-drop-caps.sh`). */
export const packageFile = (...segments: string[]): string => join(PACKAGE_ROOT, ...segments);

export const PACKAGE_VERSION = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;

/** `.ts` from sources, `.js` from dist/: for entry points spawned by path (the reaper). */
export const MODULE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
