// The accounted load against loopback servers that misbehave on purpose: the retrying client model, methods,
// the status policy and in-flight accounting at stop.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { RequestRecord } from '../model/run-data.ts';
import { startAccountedLoad, type LoadOptions, type LoadResult, type Population } from './accounted-load.ts';

const servers: (Server | HttpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

interface Received {
  connection: number;
  /** Index of the request on its connection (0 = the connection's first). */
  onConnection: number;
  raw: string;
}

/** A raw TCP server: `reply` decides, per request, what goes back on the socket; every request is logged. */
async function rawServer(reply: (socket: Socket, request: Received) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    const connection = connections++;
    let onConnection = 0;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      const request = { connection, onConnection: onConnection++, raw: chunk.toString('latin1') };
      received.push(request);
      reply(socket, request);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

async function httpServer(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
  const server = createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const oneWorker = (population: Partial<Population> = {}): Population[] => [{ client: 'keepalive', path: '/', workers: 1, pauseMs: 0, ...population }];

/**
 * Runs the load until `records` records have streamed out (or fails after 3 s), then stops it. `streamed` holds each
 * record as serialised at the moment it was streamed (what the NDJSON file gets).
 */
async function runUntil(records: number, options: Omit<LoadOptions, 'maxDurationMs' | 'requestTimeoutMs'> & Partial<LoadOptions>): Promise<LoadResult & { streamed: RequestRecord[] }> {
  const streamed: RequestRecord[] = [];
  let enough: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (enough = resolve));
  const load = startAccountedLoad({
    maxDurationMs: 5_000,
    requestTimeoutMs: 2_000,
    ...options,
    onRecord: (record) => {
      streamed.push(JSON.parse(JSON.stringify(record)) as RequestRecord);
      if (streamed.length >= records) enough();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`only ${streamed.length} of ${records} records within 3 s`)), 3_000)));
  try {
    await Promise.race([reached, deadline]);
  } finally {
    clearTimeout(timer);
  }
  return { ...(await load.stop()), streamed };
}

describe('retrying client model', () => {
  test('a GET closed under it on a reused socket is retried once, at once, on a new connection; both attempts are accounted', async () => {
    // Each connection answers its first request and closes (FIN, no Connection: close) as the second one arrives.
    const server = await rawServer((socket, request) => (request.onConnection === 0 ? socket.write(OK) : socket.end()));
    const { records, streamed, totals, served } = await runUntil(3, { baseUrl: server.url, populations: oneWorker(), maxRequests: 3 });

    const [first, failed, retry] = streamed;
    expect(first).toMatchObject({ seq: 0, outcome: 'ok', reusedSocket: false });
    expect(failed).toMatchObject({ seq: 1, outcome: 'failed', errorCode: 'SOCKET_CLOSED', reusedSocket: true, retriedAs: 2 });
    expect(failed).not.toHaveProperty('retryOf');
    expect(retry).toMatchObject({ seq: 2, outcome: 'ok', reusedSocket: false, retryOf: 1 });
    expect(retry).not.toHaveProperty('retriedAs');
    expect(server.received.map((r) => [r.connection, r.onConnection])).toEqual([[0, 0], [0, 1], [1, 0]]);

    expect(records).toEqual([expect.objectContaining({ seq: 1, retriedAs: 2, endMs: expect.any(Number) as number })]);
    expect(served.total).toBe(2);
    expect(totals).toMatchObject({ sent: 3, ok: 2, failed: 1, inFlight: 0, byErrorCode: { SOCKET_CLOSED: 1 } });
  });

  test('a reset on a reused socket is retried too', async () => {
    const server = await rawServer((socket, request) => (request.onConnection === 0 ? socket.write(OK) : socket.resetAndDestroy()));
    const { streamed } = await runUntil(3, { baseUrl: server.url, populations: oneWorker(), maxRequests: 3 });
    expect(streamed.map((r) => [r.seq, r.outcome, r.errorCode, r.retriedAs, r.retryOf])).toEqual([
      [0, 'ok', undefined, undefined, undefined],
      [1, 'failed', 'ECONNRESET', 2, undefined],
      [2, 'ok', undefined, undefined, 1],
    ]);
  });

  test('a POST is never retried; it goes out with a JSON body, and the record names its method', async () => {
    const server = await rawServer((socket, request) => (request.onConnection === 0 ? socket.write(OK) : socket.end()));
    const { streamed } = await runUntil(3, { baseUrl: server.url, populations: oneWorker({ method: 'POST' }), maxRequests: 3 });
    expect(streamed.map((r) => [r.seq, r.method, r.outcome, r.errorCode, r.retriedAs, r.retryOf])).toEqual([
      [0, 'POST', 'ok', undefined, undefined, undefined],
      [1, 'POST', 'failed', 'SOCKET_CLOSED', undefined, undefined],
      [2, 'POST', 'ok', undefined, undefined, undefined],
    ]);
    const raw = server.received[0]?.raw ?? '';
    expect(raw).toMatch(/^POST \/ HTTP\/1\.1\r\n/);
    expect(raw).toContain('Content-Type: application/json\r\n');
    expect(raw).toContain('Content-Length: 15\r\n');
    expect(raw.endsWith('\r\n\r\n{"drainspec":1}')).toBe(true);
  });

  test('a response cut after its first byte, and a timeout, are not retried', async () => {
    const cut = await rawServer((socket, request) => (request.onConnection === 0 ? socket.write(OK) : socket.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc')));
    const truncated = await runUntil(2, { baseUrl: cut.url, populations: oneWorker(), maxRequests: 2 });
    expect(truncated.streamed[1]).toMatchObject({ errorCode: 'TRUNCATED', reusedSocket: true });
    expect(truncated.streamed[1]).not.toHaveProperty('retriedAs');
    expect(cut.received).toHaveLength(2);

    const silent = await rawServer((socket, request) => (request.onConnection === 0 ? socket.write(OK) : undefined));
    const timedOut = await runUntil(2, { baseUrl: silent.url, populations: oneWorker(), maxRequests: 2, requestTimeoutMs: 200 });
    expect(timedOut.streamed[1]).toMatchObject({ errorCode: 'TIMEOUT', reusedSocket: true });
    expect(timedOut.streamed[1]).not.toHaveProperty('retriedAs');
    expect(silent.received).toHaveLength(2);
  });

  test('a refusal is on a fresh connection, so it is not retried', async () => {
    const server = await rawServer(() => undefined);
    await new Promise<void>((resolve) => (servers.pop() as Server).close(() => resolve()));
    const { streamed, totals } = await runUntil(2, { baseUrl: server.url, populations: oneWorker(), maxRequests: 2 });
    expect(streamed.map((r) => [r.errorCode, r.reusedSocket, r.retriedAs])).toEqual([['ECONNREFUSED', false, undefined], ['ECONNREFUSED', false, undefined]]);
    expect(totals).toMatchObject({ sent: 2, failed: 2 });
  });
});

describe('status policy', () => {
  const statusServer = () => httpServer((req, res) => {
    const status = Number(req.url?.slice(1));
    res.writeHead(status, status === 301 ? { location: '/200' } : {}).end(status === 204 ? undefined : `status ${status}: ${'detail '.repeat(40)}`);
  });
  const statusesOf = async (url: string, options: Partial<LoadOptions> = {}) => {
    const outcomes: Record<number, string> = {};
    for (const status of [200, 204, 301, 404, 503]) {
      const { streamed } = await runUntil(1, { baseUrl: url, populations: oneWorker({ path: `/${status}` }), maxRequests: 1, ...options });
      outcomes[status] = streamed[0]?.outcome ?? 'none';
    }
    return outcomes;
  };

  test('2xx and 3xx are ok by default; any other status is a failed record with the start of its body', async () => {
    const url = await statusServer();
    expect(await statusesOf(url)).toEqual({ 200: 'ok', 204: 'ok', 301: 'ok', 404: 'failed', 503: 'failed' });
    const { records } = await runUntil(1, { baseUrl: url, populations: oneWorker({ path: '/503' }), maxRequests: 1 });
    expect(records[0]).toMatchObject({ outcome: 'failed', status: 503, errorCode: 'HTTP_STATUS', errorDetail: 'status 503', bodyPrefix: `status 503: ${'detail '.repeat(40)}`.slice(0, 200) });
    expect(records[0]).not.toHaveProperty('retriedAs');
  });

  test('okStatus narrows or widens the accepted set, as ranges or as a predicate', async () => {
    const url = await statusServer();
    expect(await statusesOf(url, { okStatus: [[200, 200]] })).toEqual({ 200: 'ok', 204: 'failed', 301: 'failed', 404: 'failed', 503: 'failed' });
    expect(await statusesOf(url, { okStatus: (status) => status !== 404 })).toEqual({ 200: 'ok', 204: 'ok', 301: 'ok', 404: 'failed', 503: 'ok' });
    const { streamed } = await runUntil(1, { baseUrl: url, populations: oneWorker({ path: '/200' }), maxRequests: 1, okStatus: [[500, 599]] });
    expect(streamed[0]).toMatchObject({ outcome: 'failed', errorDetail: 'status 200', bodyPrefix: expect.stringMatching(/^status 200: detail/) as string });
  });
});

describe('stop', () => {
  test('a request still outstanding after the request timeout is returned and streamed as in flight, never ended', async () => {
    // Head and a trickle of chunks: never complete, never silent long enough for the client's idle timeout.
    const url = await httpServer((req, res) => {
      res.writeHead(200).write('.');
      const trickle = setInterval(() => res.write('.'), 50);
      req.socket.once('close', () => clearInterval(trickle));
    });
    const streamed: RequestRecord[] = [];
    const load = startAccountedLoad({ baseUrl: url, populations: oneWorker(), maxRequests: 1, maxDurationMs: 5_000, requestTimeoutMs: 300, onRecord: (r) => streamed.push(r) });
    expect(load.inFlight()).toBe(1);
    const { records, totals } = await load.stop();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ seq: 0, outcome: 'in-flight', bytes: 0 });
    expect(records[0]).not.toHaveProperty('endMs');
    expect(streamed).toEqual(records);
    expect(totals).toMatchObject({ sent: 1, ok: 0, failed: 0, inFlight: 1 });
  });
});

describe('unannounced idle closes', () => {
  test('each pooled connection the server closes while idle is recorded once, with the pod that last answered on it', async () => {
    // Answers, then closes the idle connection (FIN) 50 ms later, before the worker's next request (100 ms pause).
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-drainspec-pod: pod-a\r\n\r\nok');
      setTimeout(() => socket.end(), 50);
    });
    const { idleCloses, records } = await runUntil(2, { baseUrl: server.url, populations: oneWorker({ pauseMs: 100 }), maxRequests: 2 });
    expect(records).toEqual([]);
    const connections = new Set(server.received.map((r) => r.connection)).size;
    expect(connections).toBe(2);
    expect(idleCloses).toEqual(Array.from({ length: connections }, () => ({ atMs: expect.any(Number) as number, client: 'keepalive', pod: 'pod-a' })));
  });

  test('a close announced by Connection: close, or asked for by a fresh connection, is not one', async () => {
    const announced = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      setTimeout(() => socket.end(), 20);
    });
    expect((await runUntil(2, { baseUrl: announced.url, populations: oneWorker({ pauseMs: 100 }), maxRequests: 2 })).idleCloses).toEqual([]);
    const fresh = await rawServer((socket) => {
      socket.write(OK);
      setTimeout(() => socket.end(), 20);
    });
    expect((await runUntil(2, { baseUrl: fresh.url, populations: oneWorker({ client: 'fresh', pauseMs: 100 }), maxRequests: 2 })).idleCloses).toEqual([]);
  });
});
