// Debian root filesystems made with debootstrap and imported as images: the only base images we can have here.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheEntry, contentKey } from '../../cache/content-cache.ts';
import { versions } from '../../config/versions.ts';
import { hasCommand, runLogged, sh } from '../../sh.ts';
import { KEY_LABEL, imageHasKey } from './docker-images.ts';

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

export interface RootfsSpec {
  /** Image repository, e.g. `drainspec/kind-node-rootfs`. */
  repository: string;
  /** Extra Debian packages on top of minbase. */
  packages: readonly string[];
}

export const NODE_ROOTFS: RootfsSpec = {
  repository: 'drainspec/kind-node-rootfs',
  packages: ['systemd', 'systemd-sysv', 'dbus', 'containerd', 'runc', 'iptables', 'nftables', 'conntrack', 'socat', 'ethtool',
    'ebtables', 'kmod', 'mount', 'util-linux', 'iproute2', 'ca-certificates', 'jq', 'procps', 'libseccomp2', 'bash', 'ipset'],
};

export const POD_ROOTFS: RootfsSpec = {
  repository: 'drainspec/pod-base',
  packages: ['iptables', 'conntrack', 'ipset', 'iproute2', 'kmod', 'jq'],
};

export function rootfsKey(spec: RootfsSpec): string {
  return contentKey([versions.debianSuite, DEBIAN_MIRROR, ...spec.packages]);
}

/** Returns `<repository>:<suite>-<key>`, building it with debootstrap when missing. */
export async function ensureRootfsImage(spec: RootfsSpec, logPath: string, rebuild = false): Promise<string> {
  const key = rootfsKey(spec);
  const ref = `${spec.repository}:${versions.debianSuite}-${key}`;
  if (!rebuild && (await imageHasKey(ref, key))) return ref;
  if (process.getuid?.() !== 0) throw new Error('building a Debian root filesystem needs root (debootstrap): run as root or pass --node-image');
  if (!(await hasCommand('debootstrap'))) {
    await runLogged('apt-get', ['install', '-y', '-qq', 'debootstrap'], logPath, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const work = cacheEntry('rootfs', key);
  const target = join(work.dir, 'rootfs');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await runLogged('debootstrap', ['--variant=minbase', `--include=${spec.packages.join(',')}`, versions.debianSuite, target, DEBIAN_MIRROR], logPath);
  await sh`rm -rf ${join(target, 'var/cache/apt/archives')}/*.deb ${join(target, 'var/lib/apt/lists')}`;
  await sh`tar -C ${target} -c . | docker import --change ${`LABEL ${KEY_LABEL}=${key}`} - ${ref}`;
  rmSync(target, { recursive: true, force: true });
  return ref;
}
