// Control-plane, add-on and CNI images, built from the locally built binaries and tagged exactly as kubeadm
// and our manifests reference them, so a node never pulls.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contentKey } from '../../cache/content-cache.ts';
import { packageFile } from '../../package-files.ts';
import { versions } from '../../config/versions.ts';
import { runLogged } from '../../sh.ts';
import { KEY_LABEL, imageHasKey } from './docker-images.ts';

export const CNI_AGENT_SCRIPT = packageFile('harness', 'cluster', 'airgap', 'recipes', 'cni-agent', 'agent.sh');

export interface ComponentImage {
  ref: string;
  /** `scratch` for static binaries; `pod-base` where iptables and friends are needed. */
  base: 'scratch' | 'pod-base';
  /** Source file → absolute path in the image. */
  files: ReadonlyArray<readonly [source: string, target: string]>;
  entrypoint?: readonly string[];
}

const registry = 'registry.k8s.io';

export function componentImages(binDir: string, cniAgentRef: string): ComponentImage[] {
  const bin = (name: string) => [join(binDir, name), `/usr/local/bin/${name}`] as const;
  return [
    ...(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const).map((name) => ({ ref: `${registry}/${name}:${versions.kubernetes}`, base: 'scratch' as const, files: [bin(name)] })),
    { ref: `${registry}/kube-proxy:${versions.kubernetes}`, base: 'pod-base', files: [bin('kube-proxy')] },
    { ref: `${registry}/etcd:${versions.etcdImageTag}`, base: 'scratch', files: [bin('etcd')] },
    { ref: `${registry}/coredns/coredns:${versions.coredns}`, base: 'scratch', files: [[join(binDir, 'coredns'), '/coredns']], entrypoint: ['/coredns'] },
    { ref: `${registry}/pause:${versions.pauseImageTag}`, base: 'scratch', files: [[join(binDir, 'pause'), '/pause']], entrypoint: ['/pause'] },
    { ref: cniAgentRef, base: 'pod-base', files: [bin('kubectl'), [CNI_AGENT_SCRIPT, '/usr/local/bin/drainspec-cni']] },
  ];
}

export function cniAgentRef(binariesKey: string): string {
  return `drainspec/cni-agent:${contentKey([binariesKey, { file: CNI_AGENT_SCRIPT }])}`;
}

/** Builds each image unless an image with the same content key is already there. */
export async function ensureComponentImages(images: readonly ComponentImage[], podBaseRef: string, key: string, logPath: string, rebuild = false): Promise<void> {
  for (const image of images) {
    if (!rebuild && (await imageHasKey(image.ref, key))) continue;
    const context = mkdtempSync(join(tmpdir(), 'drainspec-image-'));
    try {
      const lines = [`FROM ${image.base === 'scratch' ? 'scratch' : podBaseRef}`];
      for (const [source, target] of image.files) {
        const staged = join(context, 'files', target);
        mkdirSync(dirname(staged), { recursive: true });
        copyFileSync(source, staged);
        chmodSync(staged, 0o755);
        lines.push(`COPY files${target} ${target}`);
      }
      lines.push('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `LABEL ${KEY_LABEL}=${key}`);
      if (image.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(image.entrypoint)}`);
      writeFileSync(join(context, 'Dockerfile'), `${lines.join('\n')}\n`);
      await runLogged('docker', ['build', '-q', '-t', image.ref, context], logPath, { env: { DOCKER_BUILDKIT: '0' } });
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }
}

