// Waits until the Service's NodePort (on 127.0.0.1) is answered by every expected pod: kube-proxy has then
// programmed all endpoints, so the load that follows measures the rollout, not cluster start-up.
import { waitFor } from '../k8s/wait.ts';

export const POD_HEADER = 'x-drainspec-pod';

export async function waitServedByAll(baseUrl: string, pods: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const seen = new Set<string>();
  await waitFor(async () => {
    // Fresh connection per probe so kube-proxy picks an endpoint each time; bounded by the deadline.
    const response = await fetch(`${baseUrl}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    const pod = response.headers.get(POD_HEADER);
    if (response.ok && pod && pods.includes(pod)) seen.add(pod);
    return pods.every((p) => seen.has(p)) ? true : undefined;
  }, { what: `${baseUrl} to be served by all of ${pods.join(', ')}`, timeoutMs, intervalMs: 50, signal });
}
