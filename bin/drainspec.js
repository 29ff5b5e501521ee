#!/usr/bin/env node
// npx drainspec …: an installed package runs its compiled dist/ (Node ≥ 22.22); this repository runs its TypeScript
// sources (Node ≥ 24 strips types; npx and npm scripts use the project's node devDependency).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const fromSources = existsSync(new URL('../harness/cli/main.ts', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
if (fromSources ? major < 24 : major < 22 || (major === 22 && minor < 22)) {
  console.error(fromSources
    ? `drainspec from its sources needs Node ≥ 24 (found ${process.versions.node}): run it through npx or npm scripts, which use the project's node devDependency`
    : `drainspec needs Node ≥ 22.22 (found ${process.versions.node})`);
  process.exit(2);
}
const module = (path) => new URL(fromSources ? `../${path}.ts` : `../dist/${path}.js`, import.meta.url).href;
// npx and npm scripts put a shell between their signals and this process: see launch-chain.ts.
const { watchLaunchChain } = await import(module('harness/lifecycle/launch-chain'));
watchLaunchChain();
await import(module('harness/cli/main'));
