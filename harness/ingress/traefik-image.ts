// Traefik, built from its Go module by recipes/build-traefik.sh into a FROM-scratch image tagged by content key:
// `drainspec/traefik:<version>-<key>`. Nothing is pulled; the image is loaded into kind like the sample app.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEntry, cacheRoot, contentKey } from '../cache/content-cache.ts';
import { ensureComponentImages } from '../cluster/airgap/component-images.ts';
import { imageHasKey } from '../cluster/airgap/docker-images.ts';
import { versions } from '../config/versions.ts';
import { packageFile } from '../package-files.ts';
import { hasCommand, runLogged } from '../sh.ts';

const recipes = packageFile('harness', 'cluster', 'airgap', 'recipes');
const recipeFiles = [join(recipes, 'build-traefik.sh'), join(recipes, 'traefik', 'go_http_auth_drainspec.go')];

export const TRAEFIK_REPOSITORY = 'drainspec/traefik';
/** Where the binary sits in the image (its entrypoint). */
export const TRAEFIK_BINARY = '/traefik';

export function traefikKey(): string {
  return contentKey([versions.traefik, ...recipeFiles.map((file) => ({ file }))]);
}

export function traefikImageRef(key: string = traefikKey()): string {
  return `${TRAEFIK_REPOSITORY}:${versions.traefik}-${key}`;
}

/** Builds (or reuses) the Traefik image; returns its ref. A cold build compiles Traefik from Go modules (~15 min on 2 cores). */
export async function ensureTraefikImage(logPath: string, rebuild = false): Promise<string> {
  const key = traefikKey();
  const ref = traefikImageRef(key);
  if (!rebuild && (await imageHasKey(ref, key))) return ref;
  const entry = cacheEntry('traefik', key);
  const binary = join(entry.dir, 'bin', 'traefik');
  if (rebuild) entry.discard();
  if (rebuild || !entry.isComplete()) {
    if (!(await hasCommand('go'))) throw new Error('go not found: install Go ≥ 1.26 (Traefik is built from its Go module)');
    if (!(await hasCommand('jq'))) throw new Error('jq not found: apt-get install jq');
    await runLogged('bash', [join(recipes, 'build-traefik.sh'), join(entry.dir, 'bin'), join(cacheRoot(), 'go-work')], logPath, { env: { TRAEFIK_VERSION: versions.traefik } });
    if (!existsSync(binary)) throw new Error(`Traefik build finished without ${binary}: see ${logPath}`);
    entry.markComplete();
  }
  await ensureComponentImages([{ ref, base: 'scratch', files: [[binary, TRAEFIK_BINARY]], entrypoint: [TRAEFIK_BINARY] }], '', key, logPath, true);
  return ref;
}
