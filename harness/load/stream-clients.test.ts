import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamRecord } from '../model/run-data.ts';
import { formatSseEvent, formatSseRetry } from '../../sample-apps/app/sse-protocol.ts';
import { checkEndpointPath, openSse, openWebSocket, sampleAppPaths, type StreamClient } from './stream-clients.ts';

const servers: Server[] = [];
const clients: StreamClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  })));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A base URL where nothing listens. */
async function refusedUrl(): Promise<string> {
  const url = await listen(createServer());
  await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
  return url;
}

/** An SSE server: `onStream(res, n, req)` writes the n-th connection's stream after 200 text/event-stream. */
function sseServer(onStream: (res: ServerResponse, n: number, req: IncomingMessage) => void): Promise<string> {
  let n = 0;
  return listen(createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-drainspec-pod': `pod-${n}` });
    onStream(res, n++, req);
  }));
}

function track(client: StreamClient): StreamClient {
  clients.push(client);
  return client;
}

const sse = (baseUrl: string, extra: Partial<Parameters<typeof openSse>[1]> = {}) => track(openSse(baseUrl, { maxReconnects: 3, maxRetryWaitMs: 100, idleTimeoutMs: 300, ...extra }));
const ws = (baseUrl: string, extra: Parameters<typeof openWebSocket>[1] = {}) => track(openWebSocket(baseUrl, { idleTimeoutMs: 300, ...extra }));

/** Waits (bounded) until the client's `index`-th record has ended, and returns it. */
async function ended(client: StreamClient, index = 0, timeout = 3_000): Promise<StreamRecord> {
  return vi.waitFor(() => {
    const record = client.records()[index];
    if (record === undefined || record.end === 'open') throw new Error(`record ${index} still open`);
    return record;
  }, { timeout, interval: 10 });
}

async function until(what: string, condition: () => boolean, timeout = 3_000): Promise<void> {
  await vi.waitFor(() => {
    if (!condition()) throw new Error(`waiting for ${what}`);
  }, { timeout, interval: 10 });
}

describe('endpoint paths', () => {
  test('the sample app serves /events, /ws and /slow?ms=', () => {
    expect(sampleAppPaths(1_500)).toEqual({ ssePath: '/events', wsPath: '/ws', slowPath: '/slow?ms=1500' });
  });

  test.each(['events', '//elsewhere.example/events', 'http://127.0.0.1/x', '/a b'])('%j is refused before anything is sent', (path) => {
    expect(() => checkEndpointPath('--sse-path', path)).toThrow(/^--sse-path ".*" must be a path on the app/);
    expect(() => openSse('http://127.0.0.1:1', { path, maxReconnects: 0, maxRetryWaitMs: 0 })).toThrow(/--sse-path/);
  });

  test("a user's SSE and WebSocket paths are the ones requested", async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url!);
      res.writeHead(req.url === '/api/stream' ? 200 : 404, { 'content-type': 'text/event-stream' }).write(formatSseEvent(0, 'x'));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      paths.push(req.url!);
      wss.handleUpgrade(req, socket, head, (socketWs) => socketWs.send('hello'));
    });
    const url = await listen(server);
    const stream = sse(url, { path: '/api/stream' });
    const socket = ws(url, { path: '/api/live?room=1' });
    await until('a message on each', () => stream.records()[0]!.messages === 1 && socket.records()[0]!.messages === 1);
    expect(paths.sort()).toEqual(['/api/live?room=1', '/api/stream']);
  });
});

describe('SSE client: streams that never opened', () => {
  test('a 404 never opened, with the status as evidence', async () => {
    const url = await listen(createServer((_req, res) => res.writeHead(404, { 'x-drainspec-pod': 'pod-a' }).end('no such path')));
    expect(await ended(sse(url))).toMatchObject({ end: 'never-opened', detail: 'status 404', pod: 'pod-a', messages: 0 });
  });

  test('a refused connection never opened', async () => {
    expect(await ended(sse(await refusedUrl()))).toMatchObject({ end: 'never-opened', detail: 'ECONNREFUSED' });
  });

  test('a 200 that is not text/event-stream is not a stream', async () => {
    const url = await listen(createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')));
    expect(await ended(sse(url))).toMatchObject({ end: 'never-opened', detail: 'status 200 with content-type text/html' });
  });

  test('no response at all within the timeout never opened', async () => {
    const url = await listen(createServer(() => undefined));
    expect(await ended(sse(url))).toMatchObject({ end: 'never-opened', detail: expect.stringMatching(/^no response within 300 ms/) });
  });
});

describe('SSE client: silence', () => {
  test('a stream that opened and then sent nothing ends as timeout', async () => {
    const url = await sseServer((res) => res.write(formatSseEvent(0, 'first')));
    const record = await ended(sse(url));
    expect(record).toMatchObject({ end: 'timeout', messages: 1, detail: expect.stringMatching(/^no data for \d+ ms \(idle timeout 300 ms/) });
    expect(record.endedAtMs! - record.openedAtMs).toBeGreaterThanOrEqual(300);
  });

  test('a stated heartbeat sets the bound: 3 × 50 ms is below the 2 s floor, so 2 s', async () => {
    const url = await sseServer((res) => res.write(formatSseEvent(0, 'a') + formatSseEvent(1, 'b')));
    const record = await ended(sse(url, { idleTimeoutMs: undefined, heartbeatIntervalMs: 50 }), 0, 5_000);
    expect(record).toMatchObject({ end: 'timeout', detail: expect.stringContaining('idle timeout 2000 ms: max(3 × heartbeat 50 ms, 2000 ms)') });
  });

  test('comments are heartbeats: a stream sending only comments stays open past the idle timeout', async () => {
    let comments = 0;
    const url = await sseServer((res) => {
      const timer = setInterval(() => res.write(`: ping ${comments++}\n\n`), 50);
      res.on('close', () => clearInterval(timer));
    });
    const stream = sse(url);
    await until('ten comments (500 ms, beyond the 300 ms timeout)', () => comments >= 10);
    expect(stream.records()[0]).toMatchObject({ end: 'open', messages: 0 });
  });
});

describe('SSE client: how a stream ended', () => {
  test('a retry hint after the last event is a goodbye: the client resumes from Last-Event-ID with nothing lost', async () => {
    const lastEventIds: (string | undefined)[] = [];
    const url = await sseServer((res, n, req) => {
      lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      if (n === 0) res.end(formatSseEvent(0, 'a') + formatSseEvent(1, 'b') + formatSseEvent(2, 'c') + formatSseRetry(20));
      else res.write(formatSseEvent(3, 'd') + formatSseEvent(4, 'e'));
    });
    const stream = sse(url);
    await until('two events on the resumed stream', () => stream.records()[1]?.messages === 2);
    const [first, resumed] = stream.records();
    expect(first).toMatchObject({ end: 'clean-close', retryHintMs: 20, messages: 3, pod: 'pod-0', reconnectGapMs: expect.any(Number) });
    expect(resumed).toMatchObject({ end: 'open', pod: 'pod-1', lostEvents: 0, duplicatedEvents: 0, eventContinuity: 'checked' });
    expect(lastEventIds).toEqual([undefined, '2']);
  });

  test('a resume that skips ids counts the events lost', async () => {
    const url = await sseServer((res, n) => {
      if (n === 0) res.end(formatSseEvent(0, 'a') + formatSseEvent(1, 'b') + formatSseRetry(20));
      else res.write(formatSseEvent(5, 'f') + formatSseEvent(6, 'g'));
    });
    const stream = sse(url);
    await until('the resumed stream', () => stream.records()[1]?.messages === 2);
    expect(stream.records()[1]).toMatchObject({ lostEvents: 3, duplicatedEvents: 0, eventContinuity: 'checked' });
  });

  test('timestamp ids cannot be counted: continuity unknown, not "0 lost"', async () => {
    const t = 1_767_225_600_000;
    const url = await sseServer((res, n) => {
      if (n === 0) res.end(`id: ${t}\ndata: a\n\nid: ${t + 200}\ndata: b\n\n${formatSseRetry(20)}`);
      else res.write(`id: ${t + 5_000}\ndata: c\n\nid: ${t + 5_200}\ndata: d\n\n`);
    });
    const stream = sse(url);
    await until('the resumed stream', () => stream.records()[1]?.messages === 2);
    for (const record of stream.records()) expect(record).toMatchObject({ lostEvents: 0, duplicatedEvents: 0, eventContinuity: 'unknown' });
  });

  test('random ids and no ids cannot be counted either', async () => {
    const url = await sseServer((res, n) => res.write(n === 0 ? 'id: 9f86d081\ndata: a\n\nid: c4ca4238\ndata: b\n\n' : ''));
    const stream = sse(url);
    await until('two events', () => stream.records()[0]!.messages === 2);
    expect(stream.records()[0]).toMatchObject({ lostEvents: 0, eventContinuity: 'unknown' });
    const bare = sse(await sseServer((res) => res.write('data: a\n\ndata: b\n\n')));
    await until('two events', () => bare.records()[0]!.messages === 2);
    expect(bare.records()[0]).toMatchObject({ lostEvents: 0, eventContinuity: 'unknown' });
  });

  test('a retry hint sent at open is a setting, not a goodbye: the later end is eof and the client does not resume', async () => {
    const url = await sseServer((res) => res.end(formatSseRetry(20) + formatSseEvent(0, 'a') + formatSseEvent(1, 'b')));
    const stream = sse(url);
    expect(await ended(stream)).toMatchObject({ end: 'eof', retryHintMs: 20, detail: 'its retry: 20 came before the last event' });
    expect(stream.records()).toHaveLength(1);
  });

  test('a stream cut without a proper end is reset', async () => {
    const url = await sseServer((res) => res.write(formatSseEvent(0, 'a'), () => res.socket!.resetAndDestroy()));
    expect(await ended(sse(url))).toMatchObject({ end: 'reset', messages: 1, detail: expect.any(String) });
  });

  test('stop() records what is open as open and cancels a pending reconnect', async () => {
    let connections = 0;
    const url = await sseServer((res) => {
      connections += 1;
      res.end(formatSseEvent(0, 'a') + formatSseRetry(60_000));
    });
    const stream = track(openSse(url, { maxReconnects: 3, maxRetryWaitMs: 60_000, idleTimeoutMs: 300 }));
    await ended(stream);
    expect(stream.stop().map((r) => r.end)).toEqual(['clean-close']);
    expect(connections).toBe(1);
  });
});

/** A WebSocket server; `onConnection` decides what each connection gets. */
async function wsServer(onConnection: (socket: WebSocket, req: IncomingMessage) => void): Promise<string> {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (headers) => headers.push('X-Drainspec-Pod: pod-ws'));
  const server = createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (s) => onConnection(s, req)));
  return listen(server);
}

describe('WebSocket client', () => {
  test.each([1001, 1012])('close frame %i is recorded with its code', async (code) => {
    const url = await wsServer((s) => {
      s.send('tick');
      s.close(code, 'going away');
    });
    expect(await ended(ws(url))).toMatchObject({ end: 'clean-close', closeCode: code, pod: 'pod-ws', messages: 1 });
  });

  test('close frame 1011 is recorded with its code and reason, for analysis to fail', async () => {
    const url = await wsServer((s) => s.close(1011, 'database gone'));
    expect(await ended(ws(url))).toMatchObject({ end: 'clean-close', closeCode: 1011, detail: 'reason: database gone' });
  });

  test('a connection dropped without a close frame is eof (1006); a reset is reset', async () => {
    const dropped = await wsServer((s) => s.terminate());
    const eof = await ended(ws(dropped));
    expect(eof).toMatchObject({ end: 'eof' });
    expect(eof.detail).toBeUndefined();
    const reset = await wsServer((_s, req) => (req.socket as Socket).resetAndDestroy());
    expect(await ended(ws(reset))).toMatchObject({ end: 'reset', detail: 'ECONNRESET' });
  });

  test('an upgrade answered 404 never opened', async () => {
    const server = createServer();
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 404 Not Found\r\nX-Drainspec-Pod: pod-x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    expect(await ended(ws(await listen(server)))).toMatchObject({ end: 'never-opened', detail: 'status 404', pod: 'pod-x' });
  });

  test('a refused connection never opened', async () => {
    expect(await ended(ws(await refusedUrl()))).toMatchObject({ end: 'never-opened', detail: 'ECONNREFUSED' });
  });

  test('a socket that opened and then sent nothing ends as timeout', async () => {
    const url = await wsServer((s) => s.send('only one'));
    expect(await ended(ws(url))).toMatchObject({ end: 'timeout', messages: 1, detail: expect.stringMatching(/^no data for \d+ ms/) });
  });

  test('pings are heartbeats: a socket that only pings stays open past the idle timeout', async () => {
    let pongs = 0;
    const url = await wsServer((s) => {
      s.on('pong', () => (pongs += 1));
      const timer = setInterval(() => s.ping(), 50);
      s.on('close', () => clearInterval(timer));
    });
    const socket = ws(url);
    await until('ten pongs (500 ms, beyond the 300 ms timeout)', () => pongs >= 10);
    expect(socket.records()[0]).toMatchObject({ end: 'open', messages: 0 });
  });

  test("a user's messages need not be JSON", async () => {
    const url = await wsServer((s) => s.send('not json {'));
    const socket = ws(url);
    await until('the message', () => socket.records()[0]!.messages === 1);
    expect(socket.records()[0]).toMatchObject({ end: 'open', pod: 'pod-ws' });
  });
});
