// Connections that have not carried a request yet. Node's closeIdleConnections() leaves them open (a connection
// waiting for its first request counts as busy), so one that a proxy dialed ahead and parked — Go's http.Transport
// keeps a connection it dialed for a request another connection took first (Traefik) — would hold server.close()
// until the SIGKILL. The graceful shutdown closes them with the idle ones.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Starts tracking; the returned function destroys the connections still without a request and says how many. */
export function trackNeverUsedConnections(server: Server): () => number {
  const neverUsed = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    neverUsed.add(socket);
    socket.once('close', () => neverUsed.delete(socket));
  });
  const used = (req: { socket: Socket }) => neverUsed.delete(req.socket);
  server.on('request', used);
  server.on('upgrade', used);
  return () => {
    const count = neverUsed.size;
    for (const socket of neverUsed) socket.destroy();
    neverUsed.clear();
    return count;
  };
}
