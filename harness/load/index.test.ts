import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { RequestRecord } from '../model/run-data.ts';
import { servedCount } from '../model/served.ts';
import { backToBackConnections, type LoadOptions, pauseForRate, populationsFor, startLoad, validateLoadOptions } from './index.ts';

const base: LoadOptions = { baseUrl: 'http://127.0.0.1:30080', profile: 'keepalive', connections: 4, requestsPerSecond: 200, requestTimeoutMs: 2_000, maxDurationMs: 5_000, maxRequests: 1_000 };

describe('load options', () => {
  test('bad input is refused before anything is sent, naming the option', () => {
    expect(() => validateLoadOptions({ ...base, baseUrl: 'not a url' })).toThrow(/is not a URL/);
    expect(() => validateLoadOptions({ ...base, baseUrl: 'http://10.0.0.1:80' })).toThrow(/loopback only/);
    expect(() => validateLoadOptions({ ...base, maxDurationMs: 0 })).toThrow(/maxDurationMs must be in 1\.\./);
    expect(() => validateLoadOptions({ ...base, requestsPerSecond: 1e9 })).toThrow(/requestsPerSecond/);
    expect(() => validateLoadOptions({ ...base, backToBackShare: 1.5 })).toThrow(/backToBackShare must be in 0\.\.1/);
    expect(() => validateLoadOptions({ ...base, okStatus: [[399, 200]] })).toThrow(/okStatus range \[399, 200\]/);
    expect(() => validateLoadOptions({ ...base, okStatus: [] })).toThrow(/okStatus must list/);
    expect(() => validateLoadOptions({ ...base, method: 'PUT' as 'GET' })).toThrow(/method must be GET or POST/);
    expect(() => validateLoadOptions({ ...base, method: 'POST', okStatus: [[200, 299]], backToBackShare: 0 })).not.toThrow();
  });
  test('rate is spread over workers; profiles pick their client populations', () => {
    expect(pauseForRate(4, 200)).toBe(20);
    expect(populationsFor(base).map((p) => p.client)).toEqual(['keepalive', 'keepalive']);
    expect(populationsFor({ ...base, profile: 'fresh' }).map((p) => p.client)).toEqual(['fresh']);
    expect(populationsFor({ ...base, profile: 'slow' }).map((p) => p.client)).toEqual(['slow', 'keepalive']);
  });

  test('keepalive: half the pool (at least 2) sends back to back, the rest carries the configured rate', () => {
    const workersAndPauses = (options: Partial<LoadOptions>) => populationsFor({ ...base, ...options }).map((p) => [p.workers, p.pauseMs]);
    expect(workersAndPauses({ connections: 8 })).toEqual([[4, 0], [4, pauseForRate(4, 200)]]);
    expect(workersAndPauses({ connections: 3 })).toEqual([[2, 0], [1, pauseForRate(1, 200)]]);
    expect(workersAndPauses({ connections: 1 })).toEqual([[1, 0]]);
    expect(workersAndPauses({ connections: 8, backToBackShare: 0 })).toEqual([[8, pauseForRate(8, 200)]]);
    expect(workersAndPauses({ connections: 8, backToBackShare: 1 })).toEqual([[8, 0]]);
    expect([backToBackConnections(64), backToBackConnections(2), backToBackConnections(5, 0.1)]).toEqual([32, 2, 2]);
  });

  test('the other profiles keep their pacing; the background keep-alive workers stay paced', () => {
    expect(populationsFor({ ...base, profile: 'fresh' }).map((p) => p.pauseMs)).toEqual([pauseForRate(4, 200)]);
    expect(populationsFor({ ...base, profile: 'slow' }).map((p) => [p.client, p.pauseMs])).toEqual([['slow', 0], ['keepalive', pauseForRate(2, 200)]]);
  });

  test('the method goes to the plain requests; /slow stays a GET', () => {
    expect(populationsFor({ ...base, method: 'POST' }).map((p) => p.method)).toEqual(['POST', 'POST']);
    expect(populationsFor({ ...base, profile: 'fresh', method: 'POST' }).map((p) => p.method)).toEqual(['POST']);
    expect(populationsFor({ ...base, profile: 'slow', method: 'POST' }).map((p) => p.method ?? 'GET')).toEqual(['GET', 'POST']);
    expect(populationsFor(base).map((p) => p.method)).toEqual(['GET', 'GET']);
  });

  test('back-to-back pacing sends without pauses at any connection count', () => {
    expect(populationsFor({ ...base, connections: 64 }).map((p) => p.pauseMs)).toEqual([0, pauseForRate(32, 200)]);
    expect(populationsFor({ ...base, connections: 64, pacing: 'back-to-back' }).map((p) => [p.workers, p.pauseMs])).toEqual([[64, 0]]);
    expect(populationsFor({ ...base, profile: 'fresh', connections: 64, pacing: 'back-to-back' }).map((p) => p.pauseMs)).toEqual([0]);
  });
});

describe('startLoad against a local server', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  test('every request is accounted and the pod header is recorded', async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'x-drainspec-pod': 'p1' }).end('ok'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const streamed: RequestRecord[] = [];
    const load = await startLoad({ ...base, baseUrl: `http://127.0.0.1:${port}`, maxRequests: 40, onRecord: (r) => streamed.push(r) });
    const deadline = Date.now() + 5_000;
    while (load.okCount() < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const { totals, requests, served } = await load.stop();
    expect(totals.sent).toBe(totals.ok + totals.failed + totals.inFlight);
    expect(totals.ok).toBe(40);
    expect(requests).toEqual([]);
    expect(Object.keys(served.pods)).toEqual(['p1']);
    expect(servedCount(served, { pod: 'p1', fresh: false })).toBeGreaterThan(0);
    expect(streamed.filter((r) => r.outcome === 'ok')).toHaveLength(40);
  });
});
