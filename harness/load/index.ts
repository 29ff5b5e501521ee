// Load for one scenario, by profile. API:
//   const load = await startLoad({ baseUrl: 'http://127.0.0.1:30080', profile: 'keepalive', connections, requestsPerSecond,
//                                  requestTimeoutMs, maxDurationMs, maxRequests });
//   load.okCount();                 // live, for condition waits
//   const { requests, streams, totals } = await load.stop();   // every request accounted: sent = ok + failed + inFlight
// Profiles: keepalive (pooled sockets), fresh (a connection per request), slow (in-flight /slow requests beside
// keep-alive ones), sse and websocket (long-lived streams beside keep-alive requests).
import type { RequestRecord, RequestTotals, StreamRecord } from '../model/run-data.ts';
import type { LoadProfile, Scenario } from '../scenarios/catalogue.ts';
import type { ServedAggregate } from '../model/served.ts';
import { startAccountedLoad, type Population } from './accounted-load.ts';
import { LOAD_DEFAULTS } from './defaults.ts';
import { openSse, openWebSocket, type StreamClient } from './stream-clients.ts';

export interface LoadOptions {
  baseUrl: string;
  profile: LoadProfile;
  /** Path of the plain HTTP requests (default `/`). */
  path?: string;
  connections: number;
  requestsPerSecond: number;
  requestTimeoutMs: number;
  maxDurationMs: number;
  maxRequests: number;
  /** Every request record as it ends (for streaming them to disk). */
  onRecord?: (record: RequestRecord) => void;
  /** 'back-to-back': each connection sends its next request as soon as the last one ends; requestsPerSecond is not used. */
  pacing?: Scenario['pacing'];
}

export interface LoadResult {
  /** Failed and in-flight requests; successful ones are aggregated in `served`. */
  requests: RequestRecord[];
  served: ServedAggregate;
  streams: StreamRecord[];
  totals: RequestTotals;
}

export interface RunningLoad {
  okCount(): number;
  failedCount(): number;
  stop(): Promise<LoadResult>;
}

/** Validates before anything is sent; each problem is one line naming the option. */
export function validateLoadOptions(options: LoadOptions): void {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new Error(`baseUrl "${options.baseUrl}" is not a URL: use http://127.0.0.1:<port>`);
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') throw new Error(`baseUrl ${options.baseUrl} must be http://127.0.0.1:<port>: load targets loopback only`);
  const check = (name: keyof LoadOptions, value: number, max: number) => {
    if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name} must be in 1..${max}, got ${value}`);
  };
  if (options.path !== undefined && !options.path.startsWith('/')) throw new Error(`path "${options.path}" must start with /`);
  check('connections', options.connections, 256);
  check('requestsPerSecond', options.requestsPerSecond, 20_000);
  check('requestTimeoutMs', options.requestTimeoutMs, 120_000);
  check('maxDurationMs', options.maxDurationMs, 3_600_000);
  check('maxRequests', options.maxRequests, 10_000_000);
}

/** Worker pause that spreads `requestsPerSecond` over `workers` sequential workers (latency adds to it). */
export function pauseForRate(workers: number, requestsPerSecond: number): number {
  return Math.max(0, Math.round((workers * 1000) / requestsPerSecond));
}

export function populationsFor(options: LoadOptions): Population[] {
  const { connections, requestsPerSecond, profile } = options;
  const path = options.path ?? '/';
  const pause = (workers: number) => (options.pacing === 'back-to-back' ? 0 : pauseForRate(workers, requestsPerSecond));
  const pooled = (workers: number): Population => ({ client: 'keepalive', path, workers, pauseMs: pause(workers) });
  switch (profile) {
    case 'keepalive':
      return [pooled(connections)];
    case 'fresh':
      return [{ client: 'fresh', path, workers: connections, pauseMs: pause(connections) }];
    case 'slow':
      return [{ client: 'slow', path: `/slow?ms=${LOAD_DEFAULTS.slowRequestMs}`, workers: connections, pauseMs: 0 }, pooled(LOAD_DEFAULTS.backgroundWorkers)];
    case 'sse':
    case 'websocket':
      return [pooled(LOAD_DEFAULTS.backgroundWorkers)];
  }
}

export async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  validateLoadOptions(options);
  const requests = startAccountedLoad({
    baseUrl: options.baseUrl,
    populations: populationsFor(options),
    maxRequests: options.maxRequests,
    maxDurationMs: options.maxDurationMs,
    requestTimeoutMs: options.requestTimeoutMs,
    onRecord: options.onRecord,
  });
  const streams: StreamClient[] = [];
  for (let i = 0; i < (options.profile === 'sse' || options.profile === 'websocket' ? LOAD_DEFAULTS.streamClients : 0); i++) {
    streams.push(options.profile === 'sse'
      ? openSse(options.baseUrl, { maxReconnects: LOAD_DEFAULTS.sseMaxReconnects, maxRetryWaitMs: LOAD_DEFAULTS.sseMaxRetryWaitMs })
      : openWebSocket(options.baseUrl));
  }
  let result: Promise<LoadResult> | undefined;
  return {
    okCount: () => requests.served().total,
    failedCount: () => requests.failed().length,
    stop() {
      result ??= (async () => {
        const streamRecords = streams.flatMap((s) => s.stop());
        const { records, served, totals } = await requests.stop();
        return { requests: records, served, streams: streamRecords, totals };
      })();
      return result;
    },
  };
}
