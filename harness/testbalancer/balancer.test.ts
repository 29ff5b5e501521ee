import { createServer as createHttpServer, get, type Agent, type IncomingMessage, Agent as HttpAgent } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestBalancer, type StartedTestBalancer } from './balancer.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  }));
  return (server.address() as AddressInfo).port;
}

/** An HTTP upstream that names itself in `x-drainspec-pod`. */
async function upstream(id: string): Promise<{ id: string; port: number }> {
  const server = createHttpServer((_req, res) => res.writeHead(200, { 'x-drainspec-pod': id }).end(id));
  return { id, port: await listen(server) };
}

async function balancer(...targets: Array<{ id: string; port: number }>): Promise<StartedTestBalancer> {
  const started = await startTestBalancer(targets);
  cleanups.push(() => started.stop());
  return started;
}

function request(url: string, agent: Agent | false = false): Promise<{ pod: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve({ pod: res.headers['x-drainspec-pod'] as string | undefined, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

describe('test balancer', () => {
  test('spreads new connections round-robin', async () => {
    const lb = await balancer(await upstream('a'), await upstream('b'));
    const pods = [];
    for (let i = 0; i < 4; i += 1) pods.push((await request(lb.url)).pod);
    expect(pods).toEqual(['a', 'b', 'a', 'b']);
    expect(lb.stats().upstreams.map((u) => u.connections)).toEqual([2, 2]);
  });

  test('a terminating upstream keeps getting new connections for the lag, then none', async () => {
    const lb = await balancer(await upstream('a'), await upstream('b'));
    const removed = lb.markTerminating('a', 300);
    const duringLag = [(await request(lb.url)).pod, (await request(lb.url)).pod];
    expect(duringLag).toContain('a');
    expect(lb.stats().upstreams[0]?.state).toBe('terminating');
    await removed;
    const afterRemoval = [(await request(lb.url)).pod, (await request(lb.url)).pod, (await request(lb.url)).pod];
    expect(afterRemoval).toEqual(['b', 'b', 'b']);
    expect(lb.podEvents().map((e) => `${e.pod}:${e.kind}`)).toEqual(['a:endpoint-not-ready', 'a:endpoint-removed']);
  });

  test('removal leaves established connections alone (new flows only, like kube-proxy)', async () => {
    const lb = await balancer(await upstream('a'), await upstream('b'));
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    expect(await request(lb.url, agent)).toEqual({ pod: 'a', reused: false });
    await lb.markTerminating('a', 0);
    expect(await request(lb.url, agent)).toEqual({ pod: 'a', reused: true });
  });

  test('a refused upstream becomes a reset for the client and is counted', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const lb = await balancer({ id: 'gone', port });
    await expect(request(lb.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(lb.stats().upstreams[0]).toMatchObject({ connections: 1, connectFailures: 1 });
  });

  test('with no routed upstream left, new connections are reset', async () => {
    const lb = await balancer(await upstream('a'));
    await lb.markTerminating('a', 0);
    await expect(request(lb.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(lb.stats().noUpstream).toBe(1);
  });

  test('an upstream FIN reaches the client as a FIN, an upstream RST as a reset', async () => {
    const fin = createServer((socket) => socket.once('data', () => socket.end()));
    const rst = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const lb = await balancer({ id: 'fin', port: await listen(fin) }, { id: 'rst', port: await listen(rst) });
    await expect(request(lb.url)).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    await expect(request(lb.url)).rejects.toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
    const [finStats, rstStats] = lb.stats().upstreams;
    expect(finStats?.unanswered).toBe(1);
    expect(rstStats?.connectFailures).toBe(0);
  });

  test('stop closes open connections and pending removals resolve', async () => {
    const lb = await startTestBalancer([await upstream('a')]);
    const agent = new HttpAgent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    await request(lb.url, agent);
    const removed = lb.markTerminating('a', 60_000);
    await lb.stop();
    await removed;
    expect(lb.stats().openConnections).toBe(0);
  });
});
