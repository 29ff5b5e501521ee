// The air-gapped Node base image: the npm `node` package's binary on the local Debian base, or FROM scratch
// with just the libraries it links. Content-keyed tag; staged context kept in the build cache.
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheEntry, contentKey } from '../cache/content-cache.ts';
import { hasCommand, sh } from '../sh.ts';
import { DEFAULT_IMAGE_OPTIONS, type ImageOptions } from './defaults.ts';
import { buildDockerfile, imageExists } from './docker-build.ts';
import { parseLddOutput } from './ldd.ts';
import { installedPackage, NODE_BASE_DOCKERFILES } from './paths.ts';

export interface NodeBase {
  image: string;
  kind: 'debian' | 'scratch' | 'external';
  /** True when this call built it (false: it already existed, or is external). */
  built: boolean;
}

async function imageId(ref: string): Promise<string> {
  return (await sh`docker image inspect --format {{.Id}} ${ref}`).stdout.trim();
}

/**
 * The Node binary the sample app runs on: the npm `node` package's (this repo's devDependency), else — in a project
 * that installed drainspec — the Node running drainspec, when it is ≥ 24 (the app is TypeScript run by type stripping).
 */
function nodeBinary(): { path: string; version: string } {
  try {
    const node = installedPackage('node');
    const path = join(node.dir, 'bin', 'node');
    if (!existsSync(path)) throw new Error(`${path} is missing: reinstall the npm package node (npm ci)`);
    return { path, version: node.version };
  } catch (error) {
    if (!(error as Error).message.startsWith('npm package node is not installed')) throw error;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(`the sample app needs Node ≥ 24 and drainspec runs on ${process.versions.node}: npm install -D node@24, or DRAINSPEC_NODE_BASE=node:24-slim, or --image your app`);
  }
  return { path: process.execPath, version: process.versions.node };
}

async function stageRootfs(dir: string, kind: 'debian' | 'scratch', strip: boolean): Promise<void> {
  const { path: nodeBinaryPath } = nodeBinary();
  const target = join(dir, 'rootfs', 'usr', 'local', 'bin', 'node');
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(nodeBinaryPath, target);
  chmodSync(target, 0o755);
  if (strip) await sh`strip ${target}`;
  if (kind === 'scratch') {
    for (const lib of parseLddOutput((await sh`ldd ${nodeBinaryPath}`).stdout)) {
      const libTarget = join(dir, 'rootfs', lib);
      mkdirSync(dirname(libTarget), { recursive: true });
      copyFileSync(realpathSync(lib), libTarget);
    }
    mkdirSync(join(dir, 'rootfs', 'tmp'), { recursive: true });
    chmodSync(join(dir, 'rootfs', 'tmp'), 0o1777);
  }
  copyFileSync(NODE_BASE_DOCKERFILES[kind], join(dir, 'Dockerfile'));
}

/** Returns a Node ≥ 24 base image ref, building it when missing. */
export async function ensureNodeBaseImage(options: ImageOptions = DEFAULT_IMAGE_OPTIONS): Promise<NodeBase> {
  const choice = options.nodeBase;
  if (choice !== 'auto' && choice !== 'debian' && choice !== 'scratch') return { image: choice, kind: 'external', built: false };
  const hasDebian = await imageExists(options.debianBaseImage);
  if (choice === 'debian' && !hasDebian) throw new Error(`${options.debianBaseImage} is missing: build the Debian base first, or set DRAINSPEC_NODE_BASE=scratch`);
  const kind = choice === 'scratch' || !hasDebian ? 'scratch' : 'debian';
  const strip = options.stripNode && (await hasCommand('strip'));
  const node = nodeBinary();
  const key = contentKey([
    'node-base/v1',
    kind,
    node.version,
    process.arch,
    `strip=${strip}`,
    { file: NODE_BASE_DOCKERFILES[kind] },
    kind === 'debian' ? await imageId(options.debianBaseImage) : 'scratch',
  ]);
  const tag = `${options.nodeBaseRepository}:${key}`;
  if (await imageExists(tag)) return { image: tag, kind, built: false };

  const entry = cacheEntry('node-base-context', key);
  if (!entry.isComplete()) {
    entry.discard();
    mkdirSync(entry.dir, { recursive: true });
    await stageRootfs(entry.dir, kind, strip);
    entry.markComplete();
  }
  await buildDockerfile(entry.dir, 'Dockerfile', tag, kind === 'debian' ? { DEBIAN_BASE: options.debianBaseImage } : {});
  return { image: tag, kind, built: true };
}
