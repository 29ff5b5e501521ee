// Packs this repository and installs it into one fresh project outside it, shared by the consumer tests.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createConsumerProject, type ConsumerProject } from './support/consumer-project.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    consumerDir: string;
    consumerTarball: string;
  }
}

let project: ConsumerProject | undefined;

export function setup(vitest: TestProject): void {
  project = createConsumerProject({ withNode22: process.platform === 'linux' && process.arch === 'x64', withVitest: true });
  process.stderr.write(`consumer project ${project.dir}: npm pack ${(project.timings.packMs / 1000).toFixed(1)} s, npm install ${(project.timings.installMs / 1000).toFixed(1)} s\n`);
  vitest.provide('consumerDir', project.dir);
  vitest.provide('consumerTarball', project.tarball);
}

export function teardown(): void {
  if (project && process.env.DRAINSPEC_KEEP_CONSUMER !== '1') rmSync(dirname(project.dir), { recursive: true, force: true });
}
