// Assembles the kind node image: Debian rootfs + our node files + binaries + CNI manifest, with every
// component image preloaded into containerd's k8s.io namespace, so creating a cluster pulls nothing.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versions } from '../../../config/versions.ts';
import { packageFile } from '../../../package-files.ts';
import { runLogged, sh } from '../../../sh.ts';
import { CNI_PLUGINS } from '../binaries.ts';
import { KEY_LABEL } from '../docker-images.ts';

// Read from the package root: these files ship beside dist/, not in it.
const nodeFiles = packageFile('harness', 'cluster', 'airgap', 'node-image', 'files');
const runcShim = packageFile('harness', 'engine', 'runc-drop-caps.sh');
const cniManifest = packageFile('harness', 'cluster', 'airgap', 'recipes', 'cni-agent', 'default-cni.yaml');
const storageManifest = packageFile('harness', 'cluster', 'airgap', 'recipes', 'default-storage.yaml');

/** Inputs whose contents decide the node image (hashed into its tag by the caller). */
export const NODE_IMAGE_RECIPE_FILES = [
  join(nodeFiles, 'usr/local/bin/entrypoint'),
  join(nodeFiles, 'etc/containerd/config.toml.template'),
  join(nodeFiles, 'etc/systemd/system/kubelet.service'),
  join(nodeFiles, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf'),
  runcShim, cniManifest, storageManifest, fileURLToPath(import.meta.url),
];

export interface NodeImageInputs {
  ref: string;
  key: string;
  rootfsRef: string;
  binDir: string;
  cniAgentRef: string;
  preloadRefs: readonly string[];
  logPath: string;
}

function stageContext(inputs: NodeImageInputs, context: string): void {
  const files = join(context, 'files');
  cpSync(nodeFiles, files, { recursive: true });
  const containerd = join(files, 'etc/containerd');
  const template = readFileSync(join(containerd, 'config.toml.template'), 'utf8');
  writeFileSync(join(containerd, 'config.toml'), template.replaceAll('@SANDBOX_IMAGE@', `registry.k8s.io/pause:${versions.pauseImageTag}`));
  rmSync(join(containerd, 'config.toml.template'));
  const put = (source: string, target: string) => {
    mkdirSync(dirname(join(files, target)), { recursive: true });
    cpSync(source, join(files, target));
    chmodSync(join(files, target), 0o755);
  };
  for (const name of ['kubeadm', 'kubelet', 'kubectl']) put(join(inputs.binDir, name), `/usr/bin/${name}`);
  put(join(inputs.binDir, 'crictl'), '/usr/local/bin/crictl');
  for (const plugin of CNI_PLUGINS) put(join(inputs.binDir, 'cni', plugin), `/opt/cni/bin/${plugin}`);
  put(runcShim, '/usr/local/libexec/drainspec/runc-drop-caps');
  mkdirSync(join(files, 'kind/manifests'), { recursive: true });
  writeFileSync(join(files, 'kind/version'), versions.kubernetes);
  writeFileSync(join(files, 'kind/manifests/default-cni.yaml'), readFileSync(cniManifest, 'utf8').replaceAll('@CNI_IMAGE@', inputs.cniAgentRef));
  cpSync(storageManifest, join(files, 'kind/manifests/default-storage.yaml'));
  writeFileSync(join(context, 'Dockerfile'), [
    `FROM ${inputs.rootfsRef}`,
    'COPY files/ /',
    'RUN systemctl enable containerd kubelet && mkdir -p /etc/cni/net.d /var/lib/kubelet',
    // docker commit cannot set STOPSIGNAL, so it is set here and survives the preload commit.
    'STOPSIGNAL SIGRTMIN+3',
    '',
  ].join('\n'));
}

const PRELOAD_SCRIPT = `set -eu
containerd > /var/log/drainspec-preload.log 2>&1 &
for _ in $(seq 1 120); do ctr version > /dev/null 2>&1 && break; sleep 0.5; done
ctr -n k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests /kind/preload.tar
kill %1; wait || true
rm -f /var/log/drainspec-preload.log`;

/** Builds `inputs.ref`; the caller decides whether it is needed (see build-artifacts.ts). */
export async function buildNodeImage(inputs: NodeImageInputs): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'drainspec-node-'));
  const stageRef = `${inputs.ref}-stage`;
  const container = `drainspec-preload-${inputs.key}`;
  try {
    stageContext(inputs, context);
    await runLogged('docker', ['build', '-q', '-t', stageRef, context], inputs.logPath, { env: { DOCKER_BUILDKIT: '0' } });
    const preloadTar = join(context, 'preload.tar');
    await runLogged('docker', ['save', '-o', preloadTar, ...inputs.preloadRefs], inputs.logPath);
    await sh`docker rm -f ${container}`.nothrow();
    await runLogged('docker', ['run', '--name', container, '--privileged', '--entrypoint', '/bin/bash',
      '-v', `${preloadTar}:/kind/preload.tar:ro`, stageRef, '-c', PRELOAD_SCRIPT], inputs.logPath);
    await runLogged('docker', ['commit',
      '--change', 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]', '--change', 'CMD []',
      '--change', `LABEL ${KEY_LABEL}=${inputs.key}`,
      container, inputs.ref], inputs.logPath);
  } finally {
    await sh`docker rm -f ${container}`.nothrow();
    await sh`docker rmi ${stageRef}`.nothrow();
    rmSync(context, { recursive: true, force: true });
  }
}
