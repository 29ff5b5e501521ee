// Containers project set-up: a Docker engine that answers, Ryuk off, and the sample app image built once.
// Teardown removes anything a crashed worker left behind (every suite container carries the label below).
import type { TestProject } from 'vitest/node';
import { ensureEngine } from '../../harness/engine/docker-engine.ts';
import { buildSampleAppImage } from '../../harness/images/sample-app-image.ts';
import { sh } from '../../harness/sh.ts';
import { SUITE_CONTAINER_LABEL } from './settings.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sampleAppImage: string;
  }
}

async function removeSuiteContainers(): Promise<void> {
  const ids = (await sh`docker ps -aq --filter label=${SUITE_CONTAINER_LABEL}`.nothrow()).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await sh`docker rm -f ${ids}`.nothrow();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  await ensureEngine();
  await removeSuiteContainers();
  const startedMs = Date.now();
  const image = await buildSampleAppImage();
  console.log(`[containers] sample app image ${image.tag} (${image.built ? 'built' : 'cached'} in ${Date.now() - startedMs} ms, ${(image.sizeBytes / 1e6).toFixed(0)} MB, base ${image.base.kind})`);
  project.provide('sampleAppImage', image.tag);
  return removeSuiteContainers;
}
