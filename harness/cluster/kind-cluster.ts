// The kind provider: create or reuse a named cluster, load images into its nodes, delete it unless kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot } from '../cache/content-cache.ts';
import type { ProgressSink } from '../progress/progress.ts';
import { versions } from '../config/versions.ts';
import { hasCommand, runLogged, sh } from '../sh.ts';
import { airgapBinDir } from './airgap/build-artifacts.ts';
import { DEFAULT_NODE_PORTS, type NodePortRange, kindConfig } from './kind-config.ts';
import { resolveNodeImage } from './node-image.ts';

export interface KindClusterOptions {
  name: string;
  /** Empty: official pinned image if available, else the air-gapped build. */
  nodeImage: string;
  keep: boolean;
  rebuild: boolean;
  workers: number;
  nodePorts: NodePortRange;
  progress: ProgressSink;
}

/** kind's container of the node that publishes the NodePorts on 127.0.0.1 (where kube-proxy's DNAT for them runs). */
export const controlPlaneContainer = (clusterName: string) => `${clusterName}-control-plane`;

export interface StartedCluster extends AsyncDisposable {
  name: string;
  context: string;
  nodeImage: string;
  nodePorts: NodePortRange;
  /** False when an existing healthy cluster was reused: stop() then leaves it alone. */
  created: boolean;
  /** Makes a locally built image available on every node (never pulled). */
  loadImage(ref: string): Promise<void>;
  /** Deletes the cluster unless it is kept. */
  stop(): Promise<void>;
}

const logPath = () => join(cacheRoot(), 'logs', 'kind.log');

/**
 * kind and kubectl from PATH when kind there is the pinned version (a CI runner set up by helm/kind-action, a
 * developer's install); else both are built from Go modules with the air-gapped artifacts.
 */
async function clusterTools(progress?: ProgressSink): Promise<{ kind: string; kubectl: string }> {
  if ((await hasCommand('kind')) && (await hasCommand('kubectl'))) {
    const version = (await sh`kind version`.nothrow()).stdout;
    if (version.startsWith(`kind ${versions.kind} `)) return { kind: 'kind', kubectl: 'kubectl' };
  }
  const binDir = await airgapBinDir(progress);
  return { kind: join(binDir, 'kind'), kubectl: join(binDir, 'kubectl') };
}

export async function kindBinary(): Promise<string> {
  return (await clusterTools()).kind;
}

export async function clusterExists(kind: string, name: string): Promise<boolean> {
  const out = await sh`${kind} get clusters`.nothrow();
  return out.stdout.split('\n').includes(name);
}

async function apiAnswers(kubectl: string, context: string): Promise<boolean> {
  return (await sh`${kubectl} --context ${context} get --raw /readyz`.nothrow().timeout('15s')).exitCode === 0;
}

async function waitForCluster(kubectl: string, context: string): Promise<void> {
  await runLogged(kubectl, ['--context', context, 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], logPath());
  await runLogged(kubectl, ['--context', context, '-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-proxy', '--timeout=180s'], logPath());
  await runLogged(kubectl, ['--context', context, '-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=180s'], logPath());
}

export async function deleteKindCluster(name: string): Promise<void> {
  const kind = await kindBinary();
  await runLogged(kind, ['delete', 'cluster', '--name', name], logPath());
}

/** Creates the cluster (or reuses a healthy one of the same name) and waits until it can run pods. */
export async function startKindCluster(options: KindClusterOptions): Promise<StartedCluster> {
  const { progress, name } = options;
  const context = `kind-${name}`;
  const { kind, kubectl } = await clusterTools(progress);
  let nodeImage = '';
  let created = false;

  if ((await clusterExists(kind, name)) && (await apiAnswers(kubectl, context))) {
    progress.line(`reusing kind cluster ${name} (context ${context})`);
    nodeImage = (await sh`docker inspect --format {{.Config.Image}} ${`${name}-control-plane`}`.nothrow()).stdout.trim();
  } else {
    if (await clusterExists(kind, name)) await deleteKindCluster(name);
    const image = await resolveNodeImage(options.nodeImage, options.rebuild, progress);
    nodeImage = image.ref;
    const dir = mkdtempSync(join(tmpdir(), 'drainspec-kind-'));
    const configPath = join(dir, 'kind.json');
    writeFileSync(configPath, JSON.stringify(kindConfig({ name, workers: options.workers, nodePorts: options.nodePorts })));
    const end = progress.stage(`create kind cluster ${name} (${image.source} node image ${image.ref})`);
    try {
      await runLogged(kind, ['create', 'cluster', '--name', name, '--config', configPath, '--image', image.ref, '--wait', '0s'], logPath());
      await waitForCluster(kubectl, context);
      created = true;
      end('ok');
    } catch (error) {
      end('failed');
      // A half-created cluster is worse than none: remove it, keep the error.
      await deleteKindCluster(name).catch(() => undefined);
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const stop = async () => {
    if (options.keep || !created) {
      progress.line(`keeping kind cluster ${name}${created ? '' : ' (it existed before this run)'}: delete it with npm run cluster:down`);
      return;
    }
    const end = progress.stage(`delete kind cluster ${name}`);
    await deleteKindCluster(name);
    end('ok');
  };
  return {
    name,
    context,
    nodeImage,
    nodePorts: options.nodePorts,
    created,
    async loadImage(ref) {
      const dir = mkdtempSync(join(tmpdir(), 'drainspec-load-'));
      try {
        const archive = join(dir, 'image.tar');
        await runLogged('docker', ['save', '-o', archive, ref], logPath());
        await runLogged(kind, ['load', 'image-archive', archive, '--name', name], logPath());
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

export const DEFAULT_KIND_OPTIONS = { workers: 2, nodePorts: DEFAULT_NODE_PORTS } as const;
