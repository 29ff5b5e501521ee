// Child-process entry for the benchmark target: a node:http server on 127.0.0.1 (ephemeral port) answering
// `GET /` with a short body and an `x-drainspec-pod` header. Reports its port to the parent over IPC and exits
// on 'close', on parent disconnect, or after the lifetime given as argv[2] (ms), whichever comes first.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = Buffer.from('ok\n');
const POD = 'bench-pod-0';
const lifetimeMs = Math.min(Math.max(Number(process.argv[2]) || 60_000, 1_000), 3_600_000);

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length, 'x-drainspec-pod': POD });
    res.end(BODY);
    return;
  }
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
};

process.on('message', (message) => {
  if (message === 'close') shutdown();
});
process.on('disconnect', shutdown);
setTimeout(shutdown, lifetimeMs).unref();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port });
});
