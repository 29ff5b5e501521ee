// Containers project set-up: a Docker engine that answers, Ryuk off, and the sample app image built once.
import type { TestProject } from 'vitest/node';
import { ensureEngine } from '../../harness/engine/docker-engine.ts';
import { buildSampleAppImage } from '../../harness/images/sample-app-image.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sampleAppImage: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  await ensureEngine();
  const startedMs = Date.now();
  const image = await buildSampleAppImage();
  console.log(`[containers] sample app image ${image.tag} (${image.built ? 'built' : 'cached'} in ${Date.now() - startedMs} ms, ${(image.sizeBytes / 1e6).toFixed(0)} MB, base ${image.base.kind})`);
  project.provide('sampleAppImage', image.tag);
}
