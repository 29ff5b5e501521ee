// The HTTP surface: `/` (GET, or POST with its body discarded), `/slow?ms=`, `/events` (SSE), `/ws` (WebSocket), `/healthz`, `/readyz`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AppConfig } from './config.ts';
import { trackNeverUsedConnections } from './never-used-connections.ts';
import type { ShutdownPlan } from './shutdown-plan.ts';
import { parseSlowMs, slowWorkDoneAtMs } from './slow-work.ts';
import type { Streams } from './streams.ts';

/** Mutable state shared by the routes and the shutdown runner. */
export interface AppState {
  sigtermAtMs: number | undefined;
  requestSeq: number;
  /** Set by createAppServer: destroys the connections that never carried a request (see never-used-connections.ts). */
  closeNeverUsedConnections?: () => number;
}

export const POD_HEADER = 'x-drainspec-pod';
export const REQUEST_ID_HEADER = 'x-drainspec-request-id';

export function createAppServer(config: AppConfig, plan: ShutdownPlan, state: AppState, streams: Streams): Server {
  const send = (res: ServerResponse, status: number, body: string): void => {
    if (plan.advertiseConnectionClose && state.sigtermAtMs !== undefined) res.setHeader('connection', 'close');
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const slow = async (res: ServerResponse, url: URL): Promise<void> => {
    const workMs = parseSlowMs(url.searchParams.get('ms'), config.slowDefaultMs, config.slowMaxMs);
    if (typeof workMs !== 'number') return send(res, 400, `${workMs.error}\n`);
    const startMs = Date.now();
    // Re-evaluated after each wait: a SIGTERM that lands mid-work may extend it (slow-drain).
    for (;;) {
      const doneAtMs = slowWorkDoneAtMs(startMs, workMs, state.sigtermAtMs, plan.holdInFlightWorkAfterSigtermMs);
      const remainingMs = doneAtMs - Date.now();
      if (remainingMs <= 0) break;
      await delay(Math.min(remainingMs, 250));
    }
    send(res, 200, `slow ${workMs}ms from ${config.podName}\n`);
  };

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    state.requestSeq += 1;
    const requestId = `${config.podName}-${state.requestSeq}`;
    res.setHeader(POD_HEADER, config.podName);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    switch (url.pathname) {
      case '/':
        // A POST body is read to its end before answering, so the keep-alive connection is ready for the next request.
        if (req.method === 'POST') {
          req.resume().once('end', () => send(res, 200, `ok from ${config.podName}\n`));
          return;
        }
        return send(res, 200, `ok from ${config.podName}\n`);
      case '/slow':
        void slow(res, url);
        return;
      case '/events':
        streams.openSse(req, res, { [POD_HEADER]: config.podName, [REQUEST_ID_HEADER]: requestId });
        return;
      case '/healthz':
        return send(res, 200, 'alive\n');
      case '/readyz':
        return state.sigtermAtMs === undefined ? send(res, 200, 'ready\n') : send(res, 503, 'terminating\n');
      default:
        return send(res, 404, 'not found\n');
    }
  };

  const server = createServer(route);
  state.closeNeverUsedConnections = trackNeverUsedConnections(server);
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://app.invalid').pathname === '/ws') streams.upgradeWebSocket(req, socket, head);
    else socket.destroy();
  });
  return server;
}
