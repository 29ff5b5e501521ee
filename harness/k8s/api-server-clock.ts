// Measures the API server's clock against the harness clock (Date.now()) with cheap GET /version requests.
// Kubernetes timestamps (deletionTimestamp, finishedAt) are converted with it: harness ms = API ms − offsetMs.
// On kind every node shares the host's clock (offset ≈ 0 ± a few ms); on an existing cluster the nodes' kubelets
// are assumed to be NTP-synchronised with the API server.
import { Agent, request } from 'node:https';
import { request as httpRequest, type RequestOptions } from 'node:http';
import type { KubeClients } from './client.ts';
import { CLOCK_OFFSET_DEFAULTS, measureOffset, type ClockOffset, type MeasureOptions } from './clock-offset.ts';

/**
 * Offset of the API server's clock, bounded to `options.maxDurationMs` (3 s) and ~16 requests. Rejects only when
 * no request answered with a `Date` header.
 */
export async function measureClockOffset(clients: KubeClients, options: MeasureOptions = CLOCK_OFFSET_DEFAULTS): Promise<ClockOffset> {
  const server = clients.config.getCurrentCluster();
  if (!server) throw new Error(`clock offset: kubeconfig context ${clients.context} has no cluster`);
  const url = new URL('/version', server.server);
  const base: RequestOptions = {};
  await clients.config.applyToHTTPSOptions(base);
  // One kept-alive TLS connection, so that later probes' round trips are not a handshake.
  const tls = base as RequestOptions & { ca?: unknown; cert?: unknown; key?: unknown; rejectUnauthorized?: boolean };
  const agent = url.protocol === 'https:' && !server.proxyUrl
    ? new Agent({ keepAlive: true, ca: tls.ca as string, cert: tls.cert as string, key: tls.key as string, ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }) })
    : base.agent;
  const probe = () => new Promise<number>((resolve, reject) => {
    const send = url.protocol === 'https:' ? request : httpRequest;
    const req = send(url, { ...base, agent, method: 'GET', timeout: 2_000, signal: clients.signal }, (response) => {
      response.resume();
      const date = Date.parse(response.headers.date ?? '');
      if (Number.isNaN(date)) reject(new Error(`clock offset: ${url.href} answered without a Date header`));
      else resolve(date);
    });
    req.on('timeout', () => req.destroy(new Error(`clock offset: ${url.href} did not answer within 2 s`)));
    req.on('error', reject);
    req.end();
  });
  try {
    return await measureOffset({ probe, now: Date.now, sleepUntil: (atMs) => new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - Date.now()))) }, options);
  } finally {
    if (agent instanceof Agent && agent !== base.agent) agent.destroy();
  }
}
