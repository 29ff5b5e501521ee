// Kubernetes API clients for ONE explicitly named context; never the kubeconfig's current context by accident.
// Every request they send has a deadline and ends with the run's signal (Ctrl-C): this is the one place that
// sets either, through client-node's request middleware.
import {
  AppsV1Api, CoordinationV1Api, CoreV1Api, createConfiguration, DiscoveryV1Api, KubernetesObjectApi, PolicyV1Api, ServerConfiguration, VersionApi,
  type KubeConfig, type Middleware, type RequestContext,
} from '@kubernetes/client-node';
import { selectContext } from './kubeconfig.ts';
import { API_TIMEOUTS } from './timeouts.ts';

export interface KubeClients {
  context: string;
  /** The API server's URL, for messages. */
  server: string;
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  discovery: DiscoveryV1Api;
  policy: PolicyV1Api;
  coordination: CoordinationV1Api;
  version: VersionApi;
  objects: KubernetesObjectApi;
  /** Ends the run's requests, watches and waits (Ctrl-C); absent when nothing stops them but their deadlines. */
  signal?: AbortSignal;
  requestTimeoutMs: number;
  /**
   * The same clients without the run's signal (each request still under its deadline): what cleanup after Ctrl-C
   * uses — deleting the run's namespaces, uncordoning a node.
   */
  readonly cleanup: KubeClients;
}

export interface ConnectOptions {
  /** The run's signal: aborting it aborts every request in flight within milliseconds. */
  signal?: AbortSignal;
  requestTimeoutMs?: number;
  /** How the user names the kubeconfig and context options, for messages (default `--kubeconfig`, `--context`). */
  kubeconfigOption?: string;
  contextOption?: string;
}

/** A request that outlived its deadline; `apiErrorReason` says so in one line. */
export class ApiDeadlineError extends Error {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what} had no answer within ${timeoutMs / 1000} s`);
    this.name = 'ApiDeadlineError';
    this.timeoutMs = timeoutMs;
  }
}

/** A signal that aborts after `timeoutMs` with an ApiDeadlineError, or with `signal`'s reason if that comes first. */
export function deadlineSignal(what: string, timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new ApiDeadlineError(what, timeoutMs)), timeoutMs).unref();
  return signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
}

/** A 2xx answer that is not JSON: client-node would turn it into an empty object (and `items` into undefined). */
export class NotKubernetesApiError extends Error {
  constructor(contentType: string) {
    super(`the server answered with ${contentType.split(';')[0]}, not the Kubernetes API: is the server URL right?`);
    this.name = 'NotKubernetesApiError';
  }
}

/** Gives each request its deadline and the run's signal; refuses answers that are not the API's JSON. */
function apiMiddleware(timeoutMs: number, signal: AbortSignal | undefined): Middleware {
  return {
    async pre(context: RequestContext) {
      const path = new URL(context.getUrl()).pathname;
      context.setSignal(deadlineSignal(`${context.getHttpMethod()} ${path}`, timeoutMs, signal));
      return context;
    },
    async post(response) {
      const contentType = response.headers['content-type'] ?? '';
      if (response.httpStatusCode < 300 && contentType && !contentType.includes('json')) throw new NotKubernetesApiError(contentType);
      return response;
    },
  };
}

function makeClients(context: string, config: KubeConfig, server: string, requestTimeoutMs: number, signal: AbortSignal | undefined): KubeClients {
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: config },
    promiseMiddleware: [apiMiddleware(requestTimeoutMs, signal)],
  });
  // Every object drainspec applies names its namespace, so the context's default namespace is never needed.
  const objects = new KubernetesObjectApi(configuration);
  let cleanup: KubeClients | undefined;
  const clients: KubeClients = {
    context, server, config, signal, requestTimeoutMs, objects,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    discovery: new DiscoveryV1Api(configuration),
    policy: new PolicyV1Api(configuration),
    coordination: new CoordinationV1Api(configuration),
    version: new VersionApi(configuration),
    get cleanup() {
      cleanup ??= signal ? makeClients(context, config, server, requestTimeoutMs, undefined) : clients;
      return cleanup;
    },
  };
  return clients;
}

/** The same clients bound to another signal (a phase's deadline, or none for cleanup). */
export function withSignal(clients: KubeClients, signal: AbortSignal | undefined): KubeClients {
  return makeClients(clients.context, clients.config, clients.server, clients.requestTimeoutMs, signal);
}

/** Clients for `context` of `kubeconfigPath` ('' = $KUBECONFIG or ~/.kube/config); throws one line naming what to fix. */
export function connect(context: string, kubeconfigPath = '', options: ConnectOptions = {}): KubeClients {
  const { config, cluster } = selectContext(context, { path: kubeconfigPath, option: options.kubeconfigOption ?? '--kubeconfig', contextOption: options.contextOption ?? '--context' });
  return makeClients(context, config, cluster.server, options.requestTimeoutMs ?? API_TIMEOUTS.requestMs, options.signal);
}

/** One-line reason for an API failure (unreachable or unresponsive server, credentials, RBAC, not an API server). */
export function apiErrorReason(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown; message?: string; name?: string; cause?: { code?: string; message?: string } };
  if (error instanceof NotKubernetesApiError) return error.message;
  if (error instanceof ApiDeadlineError) return `API server did not answer within ${error.timeoutMs / 1000} s (${error.message.replace(/ had no answer.*$/, '')})`;
  if (e.code === 401) return 'unauthorized (HTTP 401): the server rejected the credentials: refresh them in the kubeconfig';
  if (e.code === 403) return `forbidden (RBAC): ${bodyMessage(e.body)}`;
  if (typeof e.code === 'number') return `HTTP ${e.code}: ${bodyMessage(e.body)}`;
  if (e.cause?.code) return `API server unreachable (${e.cause.code})`;
  if (typeof e.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/.test(e.code)) return `API server unreachable (${e.code})`;
  if (/HTTP protocol is not allowed when skipTLSVerify/.test(e.message ?? '')) return "plain http:// to the API server needs insecure-skip-tls-verify: true on the kubeconfig's cluster (or use https://)";
  if (e.name === 'SyntaxError' || /Unexpected token|is not valid JSON/.test(e.message ?? '')) return 'the server answered with something other than Kubernetes API JSON: is it an API server?';
  return firstLine(e.message ?? String(error));
}

const firstLine = (text: string) => text.split('\n')[0] as string;

function bodyMessage(body: unknown): string {
  const text = typeof body === 'string' ? body : undefined;
  if (text !== undefined && /^\s*</.test(text)) return 'the server answered with an HTML page, not the Kubernetes API: is the server URL right?';
  if (text !== undefined) {
    try {
      return firstLine((JSON.parse(text) as { message?: string }).message ?? text);
    } catch {
      return firstLine(text).slice(0, 200) || 'no message';
    }
  }
  return firstLine((body as { message?: string } | undefined)?.message ?? 'no message');
}
