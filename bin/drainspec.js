#!/usr/bin/env node
// npx drainspec …: the CLI runs from TypeScript sources under Node ≥ 24 (type stripping).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(`drainspec needs Node ≥ 24 (found ${process.versions.node}): run it through npx or npm scripts, which use the project's node devDependency`);
  process.exit(2);
}
// npx and npm scripts put a shell between their signals and this process: see launch-chain.ts.
const { watchLaunchChain } = await import('../harness/cli/launch-chain.ts');
watchLaunchChain();
await import('../harness/cli/main.ts');
