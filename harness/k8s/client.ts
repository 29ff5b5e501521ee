// Kubernetes API clients for ONE explicitly named context; never the kubeconfig's current context by accident.
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, KubernetesObjectApi, PolicyV1Api } from '@kubernetes/client-node';

export interface KubeClients {
  context: string;
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  discovery: DiscoveryV1Api;
  policy: PolicyV1Api;
  objects: KubernetesObjectApi;
}

export function connect(context: string, kubeconfigPath = ''): KubeClients {
  const config = new KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  if (!config.getContexts().some((c) => c.name === context)) {
    throw new Error(`kubeconfig context "${context}" not found: pass --context with one of ${config.getContexts().map((c) => c.name).join(', ') || '(none)'}`);
  }
  config.setCurrentContext(context);
  return {
    context,
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    discovery: config.makeApiClient(DiscoveryV1Api),
    policy: config.makeApiClient(PolicyV1Api),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
}

/** One-line reason for an API failure (unreachable server, RBAC, …). */
export function apiErrorReason(error: unknown): string {
  const e = error as { code?: number; body?: unknown; message?: string; cause?: { code?: string } };
  if (e.code === 403) return `forbidden (RBAC): ${bodyMessage(e.body)}`;
  if (typeof e.code === 'number') return `HTTP ${e.code}: ${bodyMessage(e.body)}`;
  if (e.cause?.code) return `API server unreachable (${e.cause.code})`;
  return e.message ?? String(error);
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return (body as { message?: string } | undefined)?.message ?? 'no message';
}
