// The shutdown runner against a real in-process server on 127.0.0.1 (no container): what clients see.
import { Agent, get, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_APP_CONFIG, type AppConfig, type Variant } from './config.ts';
import { createLifecycleLog } from './lifecycle-log.ts';
import { createAppServer, type AppState } from './server.ts';
import { runShutdown } from './shutdown.ts';
import { shutdownPlan } from './shutdown-plan.ts';
import { createSseParser } from './sse-protocol.ts';
import { createStreams } from './streams.ts';

const agent = new Agent({ keepAlive: true });
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

async function startApp(variant: Variant, overrides: Partial<AppConfig> = {}) {
  const config: AppConfig = { ...DEFAULT_APP_CONFIG, podName: 'unit', variant, drainDelayMs: 150, keepAliveCloseWindowMs: 150, shutdownTimeoutMs: 2_000, sseIntervalMs: 20, wsTickIntervalMs: 20, sseRetryMs: 300, ...overrides };
  const events: string[] = [];
  const log = createLifecycleLog(config.podName, (line) => events.push((JSON.parse(line) as { event: string }).event));
  const plan = shutdownPlan(variant, config);
  const state: AppState = { sigtermAtMs: undefined, requestSeq: 0 };
  const streams = createStreams(config);
  const server = createAppServer(config, plan, state, streams);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    streams.destroyAll();
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sigterm = (): Promise<number> => {
    state.sigtermAtMs = Date.now();
    return runShutdown({ server, streams, state, plan, log, sseRetryMs: config.sseRetryMs });
  };
  /** Resolves once the server has received `count` requests in total. */
  const received = async (count: number): Promise<void> => {
    const deadline = Date.now() + 2_000;
    while (state.requestSeq < count) {
      if (Date.now() > deadline) throw new Error(`server never received request ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { url, port: (server.address() as AddressInfo).port, events, sigterm, received };
}

/** One raw keep-alive connection: `ask()` sends GET / and resolves with the whole response; `ended` when the server closes it. */
function rawKeepAlive(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  cleanups.push(() => socket.destroy());
  let buffered = '';
  let answer: ((response: string) => void) | undefined;
  socket.setEncoding('latin1').on('data', (chunk: string) => {
    buffered += chunk;
    if (!buffered.endsWith('ok from unit\n')) return;
    answer?.(buffered);
    buffered = '';
  });
  const ended = new Promise<void>((resolve) => socket.once('end', resolve));
  const ask = (): Promise<string> => new Promise((resolve) => {
    answer = resolve;
    socket.write('GET / HTTP/1.1\r\nHost: unit\r\n\r\n');
  });
  return { ask, ended };
}

function fetchHead(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { agent }, (res) => res.resume().on('end', () => resolve(res))).on('error', reject));
}

describe('graceful shutdown, end to end in process', () => {
  test('readiness turns 503, responses say Connection: close, streams end politely, exit code 0', async () => {
    const app = await startApp('graceful');
    expect((await fetchHead(`${app.url}/readyz`)).statusCode).toBe(200);
    const parser = createSseParser();
    const sseEnded = new Promise<void>((resolve) => get(`${app.url}/events`, { agent: false }, (res) => res.setEncoding('utf8').on('data', (c: string) => parser.push(c)).on('end', resolve)));
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/ws`);
    const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('message', resolve));

    const exitCode = app.sigterm();
    expect((await fetchHead(`${app.url}/readyz`)).statusCode).toBe(503);
    const during = await fetchHead(`${app.url}/`);
    expect(during.statusCode).toBe(200);
    expect(during.headers.connection).toBe('close');
    expect(during.headers['x-drainspec-pod']).toBe('unit');

    expect(await exitCode).toBe(0);
    await sseEnded;
    expect(parser.retryMs()).toBe(300);
    expect(await wsClosed).toBe(1001);
    expect(app.events).toEqual(['readiness-off', 'listener-closed', 'idle-closed', 'streams-closed', 'drained']);
    await expect(fetchHead(`${app.url}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('delayed-close serves pooled sockets through the drain delay without Connection: close, then closes the idle ones unannounced', async () => {
    const app = await startApp('delayed-close', { drainDelayMs: 200 });
    const pooled = rawKeepAlive(app.port);
    expect(await pooled.ask()).toMatch(/^HTTP\/1\.1 200 /);

    const sigtermAtMs = Date.now();
    const exitCode = app.sigterm();
    expect((await fetchHead(`${app.url}/readyz`)).statusCode).toBe(503);
    const during = await pooled.ask();
    expect(during).toMatch(/^HTTP\/1\.1 200 /);
    expect(during.toLowerCase()).toContain('connection: keep-alive');
    expect(during.toLowerCase()).not.toContain('connection: close');

    await pooled.ended;
    expect(Date.now() - sigtermAtMs).toBeGreaterThanOrEqual(200);
    expect(app.events.slice(0, 3)).toEqual(['readiness-off', 'listener-closed', 'idle-closed']);
    expect(await exitCode).toBe(0);
    expect(app.events).toEqual(['readiness-off', 'listener-closed', 'idle-closed', 'streams-closed', 'drained']);
  });

  test('a connection dialed ahead that never sent a request (a proxy\'s spare) is closed with the idle ones: the drain ends, exit 0', async () => {
    const app = await startApp('graceful', { shutdownTimeoutMs: 1_500 });
    const spare = connect({ host: '127.0.0.1', port: app.port });
    cleanups.push(() => spare.destroy());
    await new Promise((resolve) => spare.once('connect', resolve));
    const closed = new Promise<void>((resolve) => spare.once('close', () => resolve()));
    expect(await app.sigterm()).toBe(0);
    await closed;
    expect(app.events.at(-1)).toBe('drained');
  });

  test('graceful (the fix) announces Connection: close on the pooled socket during the same window', async () => {
    const app = await startApp('graceful', { drainDelayMs: 200 });
    const pooled = rawKeepAlive(app.port);
    await pooled.ask();
    const exitCode = app.sigterm();
    expect((await pooled.ask()).toLowerCase()).toContain('connection: close');
    await pooled.ended;
    expect(app.events).not.toContain('listener-closed');
    expect(await exitCode).toBe(0);
  });

  test('in-flight work that outlasts the shutdown timeout forces exit code 1', async () => {
    const app = await startApp('graceful', { shutdownTimeoutMs: 400 });
    const slow = fetchHead(`${app.url}/slow?ms=5000`).catch((error: NodeJS.ErrnoException) => error.code);
    await app.received(1);
    expect(await app.sigterm()).toBe(1);
    expect(await slow).toBe('ECONNRESET');
  });

  test('slow-drain holds work in flight at SIGTERM until sigterm + SLOW_DRAIN_WORK_MS', async () => {
    const app = await startApp('slow-drain', { drainDelayMs: 0, slowDrainWorkMs: 600 });
    const startedMs = Date.now();
    const slow = fetchHead(`${app.url}/slow?ms=200`);
    await app.received(1);
    const exitCode = app.sigterm();
    expect((await slow).statusCode).toBe(200);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(600);
    expect(await exitCode).toBe(0);
  });
});

describe('routes', () => {
  test('POST / reads and discards its body, answers like GET, and leaves the keep-alive connection usable', async () => {
    const app = await startApp('graceful');
    const post = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = request(`${app.url}/`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject).end('{"drainspec":1}');
    });
    expect(post).toEqual({ status: 200, body: 'ok from unit\n' });
    const next = await new Promise<boolean>((resolve, reject) => {
      const req = get(`${app.url}/`, { agent }, (res) => res.resume().on('end', () => resolve(req.reusedSocket)));
      req.on('error', reject);
    });
    expect(next).toBe(true);
  });
});
