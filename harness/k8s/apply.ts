// Server-side apply of typed objects with field manager "drainspec".
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './client.ts';

export const FIELD_MANAGER = 'drainspec';

export async function serverSideApply(clients: KubeClients, object: KubernetesObject): Promise<KubernetesObject> {
  return clients.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}
