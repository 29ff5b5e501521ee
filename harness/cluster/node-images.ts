// Whether a kind cluster's nodes already hold an image, so that a rerun can skip `kind load` (seconds per image).
import { sh } from '../sh.ts';

/** True when every node container of kind cluster `clusterName` has `ref` in its containerd image store. */
export async function kindNodesHaveImage(clusterName: string, ref: string): Promise<boolean> {
  const nodes = (await sh`docker ps --filter ${`label=io.x-k8s.kind.cluster=${clusterName}`} --format {{.Names}}`).stdout.split('\n').filter(Boolean);
  // Images kind loads are stored under their normalised name (docker.io/…); a ref with a registry host is kept as is.
  const name = /^[^/]+[.:][^/]*\//.test(ref) ? ref : `docker.io/${ref}`;
  for (const node of nodes) {
    if ((await sh`docker exec ${node} crictl inspecti -q ${name}`.nothrow()).exitCode !== 0) return false;
  }
  return nodes.length > 0;
}
