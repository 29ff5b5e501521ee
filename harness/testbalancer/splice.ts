// Joins a client socket and an upstream socket byte for byte, passing half-closes (FIN) and resets (RST)
// through in both directions, so a client sees what it would see talking to the upstream directly.
import type { Socket } from 'node:net';

export interface SpliceCounters {
  clientBytes: number;
  upstreamBytes: number;
}

export function splice(client: Socket, upstream: Socket, onClosed: (counters: SpliceCounters) => void): void {
  const counters: SpliceCounters = { clientBytes: 0, upstreamBytes: 0 };
  client.on('data', (chunk: Buffer) => (counters.clientBytes += chunk.length));
  upstream.on('data', (chunk: Buffer) => (counters.upstreamBytes += chunk.length));
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  // pipe() ends the destination on the source's FIN; allowHalfOpen keeps the other direction open.
  client.pipe(upstream);
  upstream.pipe(client);
  // An error on one side (RST, EPIPE) becomes an RST on the other, never a polite FIN.
  client.on('error', () => upstream.resetAndDestroy());
  upstream.on('error', () => client.resetAndDestroy());
  let closed = 0;
  const onClose = (): void => {
    closed += 1;
    if (closed === 1) {
      // Once one side is fully gone nothing more can flow; let the other finish writing, then go.
      (client.destroyed ? upstream : client).destroySoon();
    } else {
      onClosed(counters);
    }
  };
  client.on('close', onClose);
  upstream.on('close', onClose);
}
