import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { BODY_PREFIX_BYTES, HttpConnection } from './http-connection.ts';

const GET = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
const servers: (Server | HttpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A raw TCP server whose handler decides, per request received, what bytes (if any) go back. */
async function rawServer(onRequest: (socket: Socket, n: number) => void): Promise<number> {
  let n = 0;
  const server = createServer((socket) => socket.on('data', () => onRequest(socket, n++)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('HttpConnection', () => {
  test('keep-alive: the second request reuses the socket; pod header and body length are read', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200, { 'X-Drainspec-Pod': 'Pod-A' }).end('hello'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const connection = new HttpConnection((server.address() as AddressInfo).port, 2_000);
    expect(connection.used).toBe(false);
    expect(await connection.exchange(GET)).toEqual({ status: 200, bytes: 5, pod: 'Pod-A' });
    expect(connection.used).toBe(true);
    expect(await connection.exchange(GET)).toEqual({ status: 200, bytes: 5, pod: 'Pod-A' });
    connection.destroy();
  });

  test('chunked bodies are counted; Connection: close ends the connection after the response', async () => {
    const port = await rawServer((socket) => socket.write('HTTP/1.1 503 Unavailable\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'));
    const connection = new HttpConnection(port, 2_000);
    expect(await connection.exchange(GET)).toEqual({ status: 503, bytes: 5, pod: undefined });
    expect(connection.closed).toBe(true);
  });

  test('a clean close with the request unanswered is SOCKET_CLOSED (the keep-alive race)', async () => {
    const port = await rawServer((socket, n) => (n === 0 ? socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') : socket.end()));
    const connection = new HttpConnection(port, 2_000);
    expect((await connection.exchange(GET)).status).toBe(200);
    const second = await connection.exchange(GET);
    expect(second.errorCode).toBe('SOCKET_CLOSED');
    expect(connection.used).toBe(true);
  });

  test('a reset before the response is ECONNRESET; a body cut short is TRUNCATED', async () => {
    const reset = await rawServer((socket) => socket.resetAndDestroy());
    expect((await new HttpConnection(reset, 2_000).exchange(GET)).errorCode).toBe('ECONNRESET');
    const cut = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(await new HttpConnection(cut, 2_000).exchange(GET)).toMatchObject({ status: 200, bytes: 3, errorCode: 'TRUNCATED' });
  });

  test('a response cut inside its head is TRUNCATED: a byte arrived, so the request was not unanswered', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Le'));
    expect((await new HttpConnection(port, 2_000).exchange(GET)).errorCode).toBe('TRUNCATED');
  });

  test('the body prefix is kept only for the statuses asked for, at most BODY_PREFIX_BYTES, without chunk framing', async () => {
    const long = `upstream unavailable ${'x'.repeat(300)}`;
    const server = createHttpServer((req, res) => {
      if (req.url === '/chunked') res.writeHead(502).write('bad ');
      else res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-length': Buffer.byteLength(long) });
      res.end(req.url === '/chunked' ? 'gateway' : long);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const connection = new HttpConnection((server.address() as AddressInfo).port, 2_000, { keepsBodyPrefixOf: (status) => status >= 500 });
    const get = (path: string) => connection.exchange(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    const failing = await get('/fail');
    expect(failing).toMatchObject({ status: 503, bytes: long.length, bodyPrefix: long.slice(0, BODY_PREFIX_BYTES) });
    expect(failing.bodyPrefix).toHaveLength(200);
    expect(await get('/ok')).not.toHaveProperty('bodyPrefix');
    expect(await get('/chunked')).toMatchObject({ status: 502, bytes: 11, bodyPrefix: 'bad gateway' });
    connection.destroy();
  });

  test('nothing listening is ECONNREFUSED; silence is TIMEOUT', async () => {
    const closed = await rawServer(() => undefined);
    await new Promise<void>((resolve) => (servers.pop() as Server).close(() => resolve()));
    expect((await new HttpConnection(closed, 2_000).exchange(GET)).errorCode).toBe('ECONNREFUSED');
    const silent = await rawServer(() => undefined);
    expect(await new HttpConnection(silent, 200).exchange(GET)).toMatchObject({ errorCode: 'TIMEOUT', errorDetail: 'no response within 200 ms' });
  });
});
