// The air-gapped path end to end: Debian rootfs images → binaries from Go modules → component images →
// node image with everything preloaded. Each stage is cached by content; a second run takes seconds.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, contentKey } from '../../cache/content-cache.ts';
import { versions } from '../../config/versions.ts';
import type { ProgressSink } from '../../progress/progress.ts';
import { binariesKey, binariesReady, ensureBinaries } from './binaries.ts';
import { cniAgentRef, componentImages, ensureComponentImages } from './component-images.ts';
import { imageHasKey } from './docker-images.ts';
import { NODE_IMAGE_RECIPE_FILES, buildNodeImage } from './node-image/build-node-image.ts';
import { NODE_ROOTFS, POD_ROOTFS, ensureRootfsImage, rootfsKey } from './rootfs-image.ts';

export interface AirgapOptions {
  rebuild: boolean;
  progress: ProgressSink;
  /** Where build logs go; defaults to `<cache>/logs`. */
  logDir?: string;
}

export const NODE_IMAGE_REPOSITORY = 'drainspec/kind-node';

/** The tag the node image gets for the current pins and recipes (cheap: hashes files, builds nothing). */
export function airgapNodeImageRef(): { ref: string; key: string } {
  const key = contentKey([binariesKey(), rootfsKey(NODE_ROOTFS), rootfsKey(POD_ROOTFS), ...NODE_IMAGE_RECIPE_FILES.map((file) => ({ file }))]);
  return { ref: `${NODE_IMAGE_REPOSITORY}:${versions.kubernetes}-${key}`, key };
}

async function staged<T>(progress: ProgressSink, name: string, work: () => Promise<T>): Promise<T> {
  const end = progress.stage(name);
  try {
    const result = await work();
    end('ok');
    return result;
  } catch (error) {
    end('failed');
    throw error;
  }
}

/** Returns the air-gapped node image, building whatever is missing. */
export async function ensureAirgapNodeImage(options: AirgapOptions): Promise<string> {
  const { ref, key } = airgapNodeImageRef();
  if (!options.rebuild && (await imageHasKey(ref, key))) return ref;
  const logDir = options.logDir ?? join(cacheRoot(), 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = (name: string) => join(logDir, `${name}.log`);
  const { progress, rebuild } = options;
  progress.line(`building the air-gapped node image ${ref} (logs in ${logDir})`);

  const nodeRootfs = await staged(progress, 'Debian rootfs for nodes (debootstrap)', () => ensureRootfsImage(NODE_ROOTFS, log('rootfs-node'), rebuild));
  const podBase = await staged(progress, 'Debian rootfs for pod images (debootstrap)', () => ensureRootfsImage(POD_ROOTFS, log('rootfs-pod'), rebuild));
  const binDir = await staged(progress, 'Kubernetes, etcd, CoreDNS, crictl, CNI, kind from Go modules', () => ensureBinaries(log('binaries'), rebuild));
  const cniRef = cniAgentRef(binariesKey());
  const images = componentImages(binDir, cniRef);
  await staged(progress, `component images (${images.length})`, () => ensureComponentImages(images, podBase, key, log('images'), rebuild));
  await staged(progress, 'node image with preloaded images', () =>
    buildNodeImage({ ref, key, rootfsRef: nodeRootfs, binDir, cniAgentRef: cniRef, preloadRefs: images.map((i) => i.ref), logPath: log('node-image') }));
  return ref;
}

/** Directory of the locally built binaries (kind, kubectl…), building them (as a named stage) if needed. */
export async function airgapBinDir(progress?: ProgressSink, logDir = join(cacheRoot(), 'logs')): Promise<string> {
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, 'binaries.log');
  if (!progress || binariesReady()) return ensureBinaries(logPath);
  return staged(progress, `Kubernetes, etcd, CoreDNS, crictl, CNI, kind from Go modules (first run ~20 min on 2 cores; log ${logPath})`, () => ensureBinaries(logPath));
}
