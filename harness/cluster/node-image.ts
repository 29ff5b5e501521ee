// Which node image to boot: the user's, else the pinned official one when present or pullable, else ours.
import { OFFICIAL_NODE_IMAGE } from '../config/versions.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { sh } from '../sh.ts';
import { ensureAirgapNodeImage } from './airgap/build-artifacts.ts';
import { imageExists } from './airgap/docker-images.ts';

export interface NodeImageChoice {
  ref: string;
  source: 'configured' | 'official' | 'air-gapped';
}

async function pulls(ref: string): Promise<boolean> {
  return (await sh`docker pull -q ${ref}`.nothrow().timeout('60s')).exitCode === 0;
}

export async function resolveNodeImage(configured: string, rebuild: boolean, progress: ProgressSink): Promise<NodeImageChoice> {
  if (configured) {
    if ((await imageExists(configured)) || (await pulls(configured))) return { ref: configured, source: 'configured' };
    throw new Error(`node image ${configured} is neither local nor pullable: fix --node-image, or unset it to use the air-gapped build`);
  }
  if (!rebuild && ((await imageExists(OFFICIAL_NODE_IMAGE)) || (await pulls(OFFICIAL_NODE_IMAGE)))) {
    return { ref: OFFICIAL_NODE_IMAGE, source: 'official' };
  }
  return { ref: await ensureAirgapNodeImage({ rebuild, progress }), source: 'air-gapped' };
}
