// Every node binary built from Go modules by recipes/build-binaries.sh, cached by pins + recipe contents.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEntry, cacheRoot, contentKey } from '../../cache/content-cache.ts';
import { versions } from '../../config/versions.ts';
import { packageFile } from '../../package-files.ts';
import { hasCommand, runLogged } from '../../sh.ts';

const recipes = packageFile('harness', 'cluster', 'airgap', 'recipes');
const recipeFiles = [join(recipes, 'build-binaries.sh'), join(recipes, 'pause', 'main.go')];

export const NODE_BINARIES = ['kubeadm', 'kubelet', 'kubectl', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd', 'coredns', 'crictl', 'pause', 'kind'] as const;
export const CNI_PLUGINS = ['ptp', 'bridge', 'loopback', 'host-local', 'portmap'] as const;

export function binariesKey(): string {
  return contentKey([versions.kubernetes, versions.etcd, versions.coredns, versions.crictl, versions.cniPlugins, versions.kind, ...recipeFiles.map((file) => ({ file }))]);
}

/** Whether the binaries for the current pins are already built (cheap). */
export function binariesReady(): boolean {
  return cacheEntry('binaries', binariesKey()).isComplete();
}

/** Builds (or reuses) the binaries; returns the directory holding them (CNI plugins under `cni/`). */
export async function ensureBinaries(logPath: string, rebuild = false): Promise<string> {
  const entry = cacheEntry('binaries', binariesKey());
  const binDir = join(entry.dir, 'bin');
  if (rebuild) entry.discard();
  if (!rebuild && entry.isComplete()) return binDir;
  if (!(await hasCommand('go'))) throw new Error('go not found: install Go ≥ 1.24 (the air-gapped node image is built from Go modules) or pass --node-image');
  if (!(await hasCommand('jq'))) throw new Error('jq not found: apt-get install jq');
  await runLogged('bash', [join(recipes, 'build-binaries.sh'), binDir, join(cacheRoot(), 'go-work')], logPath, {
    env: {
      KUBERNETES_VERSION: versions.kubernetes,
      ETCD_VERSION: versions.etcd,
      COREDNS_VERSION: versions.coredns,
      CRICTL_VERSION: versions.crictl,
      CNI_PLUGINS_VERSION: versions.cniPlugins,
      KIND_VERSION: versions.kind,
    },
  });
  const missing = [...NODE_BINARIES.map((b) => join(binDir, b)), ...CNI_PLUGINS.map((p) => join(binDir, 'cni', p))].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`binary build finished without ${missing.join(', ')}: see ${logPath}`);
  entry.markComplete();
  return binDir;
}
