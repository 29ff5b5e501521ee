import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { openLineStream } from './api-stream.ts';
import { ApiDeadlineError, connect } from './client.ts';
import { startFakeApiServer, writeKubeconfig } from './fake-api-server.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/** A server that streams `lines`, then stays open and silent. */
async function streaming(lines: string[]): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    for (const line of lines) response.write(`${line}\n`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('API line streams (watches, log follows)', () => {
  test('a server that never answers fails the start at its deadline', async () => {
    await using server = await startFakeApiServer('silent');
    const { config } = connect('fake', writeKubeconfig(server.url));
    const startedAt = Date.now();
    const opening = openLineStream(config, '/api/v1/pods?watch=true', () => undefined, () => undefined, { startTimeoutMs: 200 });
    await expect(opening).rejects.toBeInstanceOf(ApiDeadlineError);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
  test('an abort ends a start in flight at once, with its reason', async () => {
    await using server = await startFakeApiServer('silent');
    const { config } = connect('fake', writeKubeconfig(server.url));
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(new Error('interrupted by SIGINT')), 20);
    await expect(openLineStream(config, '/api/v1/pods?watch=true', () => undefined, () => undefined, { startTimeoutMs: 60_000, signal: interrupt.signal })).rejects.toThrow('interrupted by SIGINT');
  });
  test('lines arrive; silence past the idle deadline ends the stream with an error', async () => {
    const url = await streaming(['{"type":"ADDED"}', '{"type":"MODIFIED"}']);
    const { config } = connect('fake', writeKubeconfig(url));
    const lines: string[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      void openLineStream(config, '/api/v1/pods?watch=true', (line) => lines.push(line), resolve, { startTimeoutMs: 1_000, idleTimeoutMs: 100 });
    });
    expect(await ended).toBeInstanceOf(ApiDeadlineError);
    expect(lines).toEqual(['{"type":"ADDED"}', '{"type":"MODIFIED"}']);
  });
  test('a status other than 200 rejects the start with its code, as API errors do', async () => {
    await using server = await startFakeApiServer('forbidden');
    const { config } = connect('fake', writeKubeconfig(server.url));
    await expect(openLineStream(config, '/api/v1/pods?watch=true', () => undefined, () => undefined, { startTimeoutMs: 1_000 })).rejects.toMatchObject({ code: 403 });
  });
});
