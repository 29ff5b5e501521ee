// Where the image recipes and their inputs live in the package and in node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT, packageFile } from '../package-files.ts';

const require = createRequire(import.meta.url);

export const SAMPLE_APPS_DIR = packageFile('sample-apps');
export const APP_SOURCE_DIR = join(SAMPLE_APPS_DIR, 'app');
export const APP_DOCKERFILE = join(SAMPLE_APPS_DIR, 'Dockerfile');
export const NODE_BASE_DOCKERFILES = {
  scratch: join(SAMPLE_APPS_DIR, 'images', 'node-base-scratch.Dockerfile'),
  debian: join(SAMPLE_APPS_DIR, 'images', 'node-base-debian.Dockerfile'),
} as const;

export interface PackageLocation {
  dir: string;
  version: string;
}

/** A package as installed in node_modules (the `node` package carries the Node 24 binary in bin/node). */
export function installedPackage(name: string): PackageLocation {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    throw new Error(`npm package ${name} is not installed: run npm ci in ${PACKAGE_ROOT}`);
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}
