// The load agent image `drainspec/load-agent:<content key>`: the Node base plus exactly the modules agent-main
// imports (the load client, the model, the agent) and the packages they name, at their paths in the package. The tag
// is stable for unchanged inputs, so reruns reuse the image; load it into kind like the sample app's.
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheEntry, contentKey } from '../cache/content-cache.ts';
import { DEFAULT_IMAGE_OPTIONS, type ImageOptions } from '../images/defaults.ts';
import { buildDockerfile, imageExists, imageSizeBytes } from '../images/docker-build.ts';
import { ensureNodeBaseImage, type NodeBase } from '../images/node-base.ts';
import { installedPackage } from '../images/paths.ts';
import { MODULE_EXTENSION, PACKAGE_ROOT } from '../package-files.ts';
import { sh } from '../sh.ts';
import { AGENT_DEFAULTS } from './defaults.ts';
import { importClosure } from './import-closure.ts';

export interface LoadAgentImage {
  tag: string;
  base: NodeBase;
  built: boolean;
  sizeBytes: number;
  /** Package-relative paths of the modules in the image, the entry first. */
  files: string[];
  packages: string[];
}

const ENTRY = fileURLToPath(new URL(`./agent-main${MODULE_EXTENSION}`, import.meta.url));
const WORKDIR = '/agent';

/** Exec-form RUN and ENTRYPOINT: no shell needed, so it builds on the FROM-scratch base too. */
function dockerfile(entry: string, check: string): string {
  return [
    'ARG BASE_IMAGE',
    'FROM ${BASE_IMAGE}',
    `WORKDIR ${WORKDIR}`,
    'COPY files/ ./',
    // Proves every module the agent needs is here and loads (type stripping included), without running it.
    `RUN ["node", "-e", "import('./${check}').catch((e) => { console.error(e.message); process.exit(1); })"]`,
    // Its stdout is the protocol: Node's own warnings (stderr, merged into the pod log) would only be noise there.
    'ENV NODE_ENV=production NODE_NO_WARNINGS=1',
    'USER 1000:1000',
    `ENTRYPOINT ["node", "${entry}"]`,
    '',
  ].join('\n');
}

function stageContext(dir: string, files: readonly string[], packages: readonly string[], text: string): void {
  for (const file of files) {
    const target = join(dir, 'files', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(PACKAGE_ROOT, file), target);
  }
  for (const name of packages) cpSync(installedPackage(name).dir, join(dir, 'files', 'node_modules', name), { recursive: true });
  writeFileSync(join(dir, 'files', 'package.json'), `${JSON.stringify({ name: 'drainspec-load-agent', private: true, type: 'module' })}\n`);
  writeFileSync(join(dir, 'Dockerfile'), text);
}

/** Packages are copied as they are: one with dependencies of its own would need them too. */
function checkSelfContained(name: string): void {
  const manifest = JSON.parse(readFileSync(join(installedPackage(name).dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const deps = Object.keys(manifest.dependencies ?? {});
  if (deps.length > 0) throw new Error(`the load agent imports ${name}, which depends on ${deps.join(', ')}: vendor those too in agent-image.ts`);
}

export async function buildLoadAgentImage(options: ImageOptions = DEFAULT_IMAGE_OPTIONS): Promise<LoadAgentImage> {
  const base = await ensureNodeBaseImage(options);
  const baseId = (await sh`docker image inspect --format {{.Id}} ${base.image}`.nothrow()).stdout.trim();
  if (baseId === '') throw new Error(`base image ${base.image} is not present locally: build or load it first (no registry is assumed)`);
  const closure = importClosure(ENTRY);
  const files = closure.files.map((file) => relative(PACKAGE_ROOT, file));
  const outside = files.find((file) => file.startsWith('..'));
  if (outside !== undefined) throw new Error(`the load agent imports ${outside}, outside the package ${PACKAGE_ROOT}`);
  closure.packages.forEach(checkSelfContained);
  const [entry] = files as [string];
  const text = dockerfile(entry, entry.replace(/agent-main(\.[jt]s)$/, 'agent$1'));
  const key = contentKey([
    'load-agent/v1',
    // Our own bases have content-keyed tags; an external base counts by image id.
    base.kind === 'external' ? baseId : base.image,
    text,
    ...closure.packages.map((name) => `${name}@${installedPackage(name).version}`),
    ...files.flatMap((file) => [file, { file: join(PACKAGE_ROOT, file) }]),
  ]);
  const tag = `${AGENT_DEFAULTS.imageRepository}:${key}`;
  const image = { tag, base, files, packages: closure.packages };
  if (await imageExists(tag)) return { ...image, built: false, sizeBytes: await imageSizeBytes(tag) };

  const entryDir = cacheEntry('load-agent-context', key);
  entryDir.discard();
  mkdirSync(entryDir.dir, { recursive: true });
  stageContext(entryDir.dir, files, closure.packages, text);
  entryDir.markComplete();
  await buildDockerfile(entryDir.dir, 'Dockerfile', tag, { BASE_IMAGE: base.image });
  return { ...image, built: true, sizeBytes: await imageSizeBytes(tag) };
}
