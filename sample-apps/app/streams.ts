// Long-lived streams (SSE responses, WebSockets): opened here, ticked on timers, ended politely on shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { firstEventIdAfter, formatSseEvent, formatSseRetry } from './sse-protocol.ts';

export interface StreamOptions {
  podName: string;
  sseIntervalMs: number;
  wsTickIntervalMs: number;
}

export interface Streams {
  openSse(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void;
  upgradeWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every SSE stream after a `retry:` hint and closes every WebSocket with 1001 (going away). */
  closeAllPolitely(retryMs: number): void;
  /** Tears everything down without ceremony (forced exit). */
  destroyAll(): void;
  count(): number;
}

export function createStreams(options: StreamOptions): Streams {
  const sse = new Map<ServerResponse, NodeJS.Timeout>();
  const sockets = new Map<WebSocket, NodeJS.Timeout>();
  const wss = new WebSocketServer({ noServer: true });

  return {
    count: () => sse.size + sockets.size,
    openSse(req, res, headers) {
      let nextId = firstEventIdAfter(req.headers['last-event-id']);
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      const send = (): void => {
        res.write(formatSseEvent(nextId, JSON.stringify({ pod: options.podName, atMs: Date.now() })));
        nextId += 1;
      };
      send();
      sse.set(res, setInterval(send, options.sseIntervalMs));
      res.on('close', () => {
        clearInterval(sse.get(res));
        sse.delete(res);
      });
    },
    upgradeWebSocket(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        let seq = 0;
        const tick = (): void => ws.send(JSON.stringify({ seq: seq++, pod: options.podName, atMs: Date.now() }));
        tick();
        sockets.set(ws, setInterval(tick, options.wsTickIntervalMs));
        ws.on('close', () => {
          clearInterval(sockets.get(ws));
          sockets.delete(ws);
        });
        ws.on('error', () => ws.terminate());
      });
    },
    closeAllPolitely(retryMs) {
      for (const [res, timer] of sse) {
        clearInterval(timer);
        res.end(formatSseRetry(retryMs));
      }
      for (const [ws, timer] of sockets) {
        clearInterval(timer);
        ws.close(1001, 'server going away');
      }
    },
    destroyAll() {
      for (const res of sse.keys()) res.destroy();
      for (const ws of sockets.keys()) ws.terminate();
    },
  };
}
