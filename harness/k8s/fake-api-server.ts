// Test support: misbehaving "API servers" on 127.0.0.1 and a kubeconfig pointing at them, so every way a cluster
// can fail to answer is tested without a cluster.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeBehaviour =
  /** Accepts TCP and never sends a byte. */
  | 'silent'
  /** Answers like an API server with no namespaces. */
  | 'healthy'
  /** Answers the first request like an API server, then accepts and never answers. */
  | 'stall-after-first'
  /** Answers every request with a 200 HTML page (a URL that is not an API server). */
  | 'html'
  | 'unauthorized'
  | 'forbidden';

export interface FakeApiServer extends AsyncDisposable {
  url: string;
  /** Requests received (method and path). */
  requests: string[];
  /** When the first client connected (epoch ms): the start of a connect check, whatever the client's start-up took. */
  readonly firstConnectionAtMs: number | undefined;
  close(): Promise<void>;
}

const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });

function answer(behaviour: FakeBehaviour, request: IncomingMessage, response: ServerResponse): void {
  const json = (code: number, body: string): void => void response.writeHead(code, { 'content-type': 'application/json', date: new Date().toUTCString() }).end(body);
  if (behaviour === 'html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Welcome</h1></body></html>\n');
  if (behaviour === 'unauthorized') return json(401, status(401, 'Unauthorized', 'Unauthorized'));
  if (behaviour === 'forbidden') return json(403, status(403, 'Forbidden', 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope'));
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path === '/version') return json(200, JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.0-fake' }));
  if (path.endsWith('/configmaps/kube-proxy') || /\/namespaces\/[^/]+$/.test(path)) return json(404, status(404, 'NotFound', 'not found'));
  return json(200, JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
}

/** Starts a fake API server (plain HTTP) on 127.0.0.1 with one behaviour. */
export async function startFakeApiServer(behaviour: FakeBehaviour): Promise<FakeApiServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let server: Server;
  if (behaviour === 'silent') {
    server = createTcpServer((socket) => {
      requests.push('(connection)');
      socket.on('error', () => undefined);
    });
  } else {
    let answered = 0;
    server = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      if (behaviour === 'stall-after-first' && answered++ > 0) return;
      answer(behaviour === 'stall-after-first' ? 'healthy' : behaviour, request, response);
    });
  }
  let firstConnectionAtMs: number | undefined;
  server.on('connection', (socket: Socket) => {
    firstConnectionAtMs ??= Date.now();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  return { url, requests, close, [Symbol.asyncDispose]: close, get firstConnectionAtMs() { return firstConnectionAtMs; } };
}

/** A loopback URL where nothing listens (connections are refused). */
export async function refusingUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Writes a kubeconfig with one context `name` → `server` (plain HTTP needs insecure-skip-tls-verify) in a new temp dir. */
export function writeKubeconfig(server: string, name = 'fake', dir = mkdtempSync(join(tmpdir(), 'drainspec-kubeconfig-'))): string {
  const path = join(dir, 'config');
  writeFileSync(path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{ name: `${name}-cluster`, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: `${name}-user`, user: { token: 'fake-secret-token' } }],
    contexts: [{ name, context: { cluster: `${name}-cluster`, user: `${name}-user` } }],
  }));
  return path;
}
