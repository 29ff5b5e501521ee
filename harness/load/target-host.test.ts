import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startAccountedLoad } from './accounted-load.ts';
import { HttpConnection } from './http-connection.ts';
import { startLoad } from './index.ts';
import { checkLoadTarget, isOwnNamespaceService, lookupOnce } from './target-host.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('load targets', () => {
  test('from the host: 127.0.0.1 only, plain http', () => {
    expect(checkLoadTarget('http://127.0.0.1:30080/').port).toBe('30080');
    expect(() => checkLoadTarget('http://localhost:30080/')).toThrow(/loopback only/);
    expect(() => checkLoadTarget('https://127.0.0.1:30080/')).toThrow(/loopback only/);
    expect(() => checkLoadTarget('http://app.ns.svc.cluster.local:80/')).toThrow(/loopback only/);
  });

  test('from an agent: a Service of its own namespace by cluster DNS name, and nothing else', () => {
    expect(isOwnNamespaceService('app.drainspec-x-1.svc.cluster.local', 'drainspec-x-1')).toBe(true);
    expect(isOwnNamespaceService('app.drainspec-x-1.svc', 'drainspec-x-1')).toBe(true);
    expect(checkLoadTarget('http://app.run-1.svc.cluster.local:8080/', 'run-1').hostname).toBe('app.run-1.svc.cluster.local');
    const refused = [
      'http://app.other.svc.cluster.local:80/', // another namespace
      'http://app.run-1.svc.cluster.example:80/', // another domain
      'http://app.run-1:80/', // not a Service name
      'http://run-1.svc.cluster.local:80/',
      'http://a.b.run-1.svc.cluster.local:80/',
      'http://127.0.0.1:8080/', // not even loopback: only the run's own Services
      'http://10.96.0.10:53/',
      'http://example.com/',
      'https://app.run-1.svc.cluster.local/',
    ];
    for (const url of refused) expect(() => checkLoadTarget(url, 'run-1'), url).toThrow(/only its own namespace's Services/);
    expect(() => checkLoadTarget('http://app..svc/', '')).toThrow(/not a namespace name/);
  });

  test('from an agent told to go through the cluster\'s ingress controller: that one Service too, by name, and never from the host', () => {
    const controller = 'ingress-nginx-controller.ingress-nginx.svc.cluster.local';
    expect(checkLoadTarget(`http://${controller}:80/`, 'run-1', controller).hostname).toBe(controller);
    expect(checkLoadTarget('http://app.run-1.svc.cluster.local:80/', 'run-1', controller).hostname).toBe('app.run-1.svc.cluster.local');
    expect(() => checkLoadTarget('http://other.ingress-nginx.svc.cluster.local:80/', 'run-1', controller)).toThrow(/only its own namespace's Services/);
    // Only a Service name can be allowed: an address or an outside name given as the controller stays refused.
    expect(() => checkLoadTarget('http://10.96.0.10:80/', 'run-1', '10.96.0.10')).toThrow(/only its own namespace's Services/);
    expect(() => checkLoadTarget('http://example.com/', 'run-1', 'example.com')).toThrow(/only its own namespace's Services/);
    expect(() => checkLoadTarget(`http://${controller}:80/`, undefined, controller)).toThrow(/loopback only/);
  });

  test('both load entry points refuse another namespace before sending anything', async () => {
    const populations = [{ client: 'keepalive' as const, path: '/', workers: 1, pauseMs: 0 }];
    expect(() => startAccountedLoad({ baseUrl: 'http://app.other.svc:80/', inClusterNamespace: 'mine', populations, maxRequests: 1, maxDurationMs: 100, requestTimeoutMs: 100 })).toThrow(/only its own namespace/);
    await expect(startLoad({ baseUrl: 'http://app.other.svc:80/', inClusterNamespace: 'mine', profile: 'keepalive', connections: 1, requestsPerSecond: 1, requestTimeoutMs: 100, maxDurationMs: 100, maxRequests: 1 })).rejects.toThrow(/only its own namespace/);
    await expect(startLoad({ baseUrl: 'http://app.mine.svc:80/', inClusterNamespace: 'mine', profile: 'sse', connections: 1, requestsPerSecond: 1, requestTimeoutMs: 100, maxDurationMs: 100, maxRequests: 1 })).rejects.toThrow(/runs from the host only/);
  });

  test('a named host is resolved once and the answer reused', async () => {
    const lookup = lookupOnce();
    const ask = () => new Promise<{ address: unknown; sync: boolean }>((resolve, reject) => {
      let returned = false;
      lookup('localhost', { all: false }, (error, address) => (error ? reject(error) : resolve({ address, sync: !returned })));
      returned = true;
    });
    const first = await ask();
    const second = await ask();
    expect(first.sync).toBe(false);
    expect(second).toEqual({ address: first.address, sync: true });
  });

  test('a connection to a named host goes through the given lookup', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'x-drainspec-pod': 'p' }).end('ok'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const asked: string[] = [];
    const connection = new HttpConnection((server.address() as AddressInfo).port, 2_000, {
      host: 'app.test.svc.cluster.local',
      lookup: (hostname, options, callback) => {
        asked.push(hostname);
        if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
    });
    expect(await connection.exchange(Buffer.from('GET / HTTP/1.1\r\nHost: app.test.svc.cluster.local\r\n\r\n'))).toEqual({ status: 200, bytes: 2, pod: 'p' });
    connection.destroy();
    expect(asked).toEqual(['app.test.svc.cluster.local']);
  });
});
