// Builds the sample app image `drainspec/sample-app:<content key>` from sample-apps/Dockerfile on the Node base.
// The tag is stable for unchanged inputs, so reruns reuse the image and kind can load it by name.
import { cpSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEntry, contentKey } from '../cache/content-cache.ts';
import { sh } from '../sh.ts';
import { DEFAULT_IMAGE_OPTIONS, type ImageOptions } from './defaults.ts';
import { buildDockerfile, imageExists, imageSizeBytes } from './docker-build.ts';
import { ensureNodeBaseImage, type NodeBase } from './node-base.ts';
import { APP_DOCKERFILE, APP_SOURCE_DIR, installedPackage } from './paths.ts';

export interface SampleAppImage {
  tag: string;
  base: NodeBase;
  built: boolean;
  sizeBytes: number;
}

/** The app's runtime sources (tests excluded: they never enter the image and must not change its key). */
export function appSourceFiles(dir: string = APP_SOURCE_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort();
}

function stageContext(dir: string, files: readonly string[]): void {
  mkdirSync(join(dir, 'app'), { recursive: true });
  for (const name of files) copyFileSync(join(APP_SOURCE_DIR, name), join(dir, 'app', name));
  cpSync(installedPackage('ws').dir, join(dir, 'node_modules', 'ws'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'drainspec-sample-app', private: true, type: 'module' })}\n`);
  copyFileSync(APP_DOCKERFILE, join(dir, 'Dockerfile'));
}

export async function buildSampleAppImage(options: ImageOptions = DEFAULT_IMAGE_OPTIONS): Promise<SampleAppImage> {
  const base = await ensureNodeBaseImage(options);
  const baseId = (await sh`docker image inspect --format {{.Id}} ${base.image}`.nothrow()).stdout.trim();
  if (baseId === '') throw new Error(`base image ${base.image} is not present locally: build or load it first (no registry is assumed)`);
  const files = appSourceFiles();
  const key = contentKey([
    'sample-app/v1',
    // Our own bases have content-keyed tags, so the app tag survives a base rebuild; an external base counts by image id.
    base.kind === 'external' ? baseId : base.image,
    `ws@${installedPackage('ws').version}`,
    { file: APP_DOCKERFILE },
    ...files.flatMap((name) => [name, { file: join(APP_SOURCE_DIR, name) }]),
  ]);
  const tag = `${options.sampleAppRepository}:${key}`;
  if (await imageExists(tag)) return { tag, base, built: false, sizeBytes: await imageSizeBytes(tag) };

  const entry = cacheEntry('sample-app-context', key);
  entry.discard();
  mkdirSync(entry.dir, { recursive: true });
  stageContext(entry.dir, files);
  entry.markComplete();
  await buildDockerfile(entry.dir, 'Dockerfile', tag, { BASE_IMAGE: base.image });
  return { tag, base, built: true, sizeBytes: await imageSizeBytes(tag) };
}
