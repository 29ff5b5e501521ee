// Load for one scenario, by profile. API:
//   const load = await startLoad({ baseUrl: 'http://127.0.0.1:30080', profile: 'keepalive', connections, requestsPerSecond,
//                                  requestTimeoutMs, maxDurationMs, maxRequests, method: 'GET', okStatus: [[200, 399]] });
//   load.okCount();                 // live, for condition waits
//   const { requests, streams, totals } = await load.stop();   // every request accounted: sent = ok + failed + inFlight
// Profiles: keepalive (pooled sockets, a share of them back to back), fresh (a connection per request), slow
// (in-flight /slow requests beside keep-alive ones), sse and websocket (long-lived streams beside keep-alive requests).
import type { HarnessHealth, IdleClose, RequestRecord, RequestTotals, StreamRecord } from '../model/run-data.ts';
import type { LoadProfile, Scenario } from '../scenarios/catalogue.ts';
import type { ServedAggregate } from '../model/served.ts';
import { startAccountedLoad, type Population } from './accounted-load.ts';
import { LOAD_DEFAULTS } from './defaults.ts';
import type { HttpMethod, OkStatus } from './request-policy.ts';
import { checkLoadTarget } from './target-host.ts';
import { openSse, openWebSocket, sampleAppPaths, type LongLivedPaths, type StreamClient } from './stream-clients.ts';

export type { HttpMethod, OkStatus, StatusRange } from './request-policy.ts';

export interface LoadOptions {
  baseUrl: string;
  profile: LoadProfile;
  /** Path of the plain HTTP requests (default `/`). */
  path?: string;
  /** Method of the plain HTTP requests (default GET; POST sends a small JSON body and is never retried). */
  method?: HttpMethod;
  /** Statuses that count as served (default LOAD_DEFAULTS.okStatus: 2xx and 3xx). */
  okStatus?: OkStatus;
  /** keepalive profile: share of the connections that send back to back (default LOAD_DEFAULTS.backToBackShare; 0 = all paced). */
  backToBackShare?: number;
  connections: number;
  requestsPerSecond: number;
  requestTimeoutMs: number;
  maxDurationMs: number;
  maxRequests: number;
  /** Every request record as it ends (for streaming them to disk). */
  onRecord?: (record: RequestRecord) => void;
  /** 'back-to-back': each connection sends its next request as soon as the last one ends; requestsPerSecond is not used. */
  pacing?: Scenario['pacing'];
  /** Slow, SSE and WebSocket endpoints (default: the sample app's). */
  paths?: LongLivedPaths;
  /** The streams' stated heartbeat interval, which bounds how long silence may last (absent: a generous default). */
  streamHeartbeatMs?: number;
  /** Only the in-cluster agent sets this: see accounted-load.ts LoadOptions.inClusterNamespace (stream profiles excluded). */
  inClusterNamespace?: string;
  /** See accounted-load.ts LoadOptions.ingressService. */
  ingressService?: string;
  /** The Host header of the plain HTTP requests (an ingress that routes by host). */
  hostHeader?: string;
}

export interface LoadResult {
  /** Failed and in-flight requests; successful ones are aggregated in `served`. */
  requests: RequestRecord[];
  /** Pooled connections the server closed while idle, unannounced. */
  idleCloses: IdleClose[];
  served: ServedAggregate;
  streams: StreamRecord[];
  totals: RequestTotals;
  /** The load client's own event-loop delay and CPU over the load's life (self-monitor.ts); agents: the most stalled one's, absent if none reported it. */
  harness?: HarnessHealth;
}

export interface RunningLoad {
  okCount(): number;
  failedCount(): number;
  stop(): Promise<LoadResult>;
}

/** Validates before anything is sent; each problem is one line naming the option. */
export function validateLoadOptions(options: LoadOptions): void {
  checkLoadTarget(options.baseUrl, options.inClusterNamespace, options.ingressService);
  if (options.inClusterNamespace !== undefined && (options.profile === 'sse' || options.profile === 'websocket')) {
    throw new Error(`profile ${options.profile} runs from the host only: in-cluster agents send the keepalive, fresh and slow profiles`);
  }
  const check = (name: keyof LoadOptions, value: number, max: number) => {
    if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name} must be in 1..${max}, got ${value}`);
  };
  if (options.path !== undefined && !options.path.startsWith('/')) throw new Error(`path "${options.path}" must start with /`);
  check('connections', options.connections, 256);
  check('requestsPerSecond', options.requestsPerSecond, 20_000);
  check('requestTimeoutMs', options.requestTimeoutMs, 120_000);
  check('maxDurationMs', options.maxDurationMs, 3_600_000);
  check('maxRequests', options.maxRequests, 10_000_000);
  if (options.method !== undefined && options.method !== 'GET' && options.method !== 'POST') throw new Error(`method must be GET or POST, got ${String(options.method)}`);
  const share = options.backToBackShare;
  if (share !== undefined && !(share >= 0 && share <= 1)) throw new Error(`backToBackShare must be in 0..1, got ${share}`);
  if (Array.isArray(options.okStatus)) {
    if (options.okStatus.length === 0) throw new Error('okStatus must list at least one status range, e.g. [[200, 399]]');
    for (const [low, high] of options.okStatus) {
      if (!Number.isInteger(low) || !Number.isInteger(high) || low < 100 || high > 599 || low > high) throw new Error(`okStatus range [${low}, ${high}] must be integers with 100 ≤ low ≤ high ≤ 599`);
    }
  }
}

/** How many of a keep-alive pool's connections send back to back: the share, at least the minimum, at most the pool. */
export function backToBackConnections(connections: number, share: number = LOAD_DEFAULTS.backToBackShare): number {
  if (share <= 0) return 0;
  return Math.min(connections, Math.max(LOAD_DEFAULTS.minBackToBackConnections, Math.ceil(connections * share)));
}

/** Worker pause that spreads `requestsPerSecond` over `workers` sequential workers (latency adds to it). */
export function pauseForRate(workers: number, requestsPerSecond: number): number {
  return Math.max(0, Math.round((workers * 1000) / requestsPerSecond));
}

const longLivedPaths = (options: LoadOptions): LongLivedPaths => options.paths ?? sampleAppPaths(LOAD_DEFAULTS.slowRequestMs);

export function populationsFor(options: LoadOptions): Population[] {
  const { connections, requestsPerSecond, profile } = options;
  const path = options.path ?? '/';
  const method = options.method ?? 'GET';
  const pause = (workers: number) => (options.pacing === 'back-to-back' ? 0 : pauseForRate(workers, requestsPerSecond));
  const pooled = (workers: number): Population => ({ client: 'keepalive', method, path, workers, pauseMs: pause(workers) });
  switch (profile) {
    case 'keepalive': {
      if (options.pacing === 'back-to-back') return [pooled(connections)];
      const hot = backToBackConnections(connections, options.backToBackShare);
      const paced = connections - hot;
      return [
        ...(hot > 0 ? [{ ...pooled(hot), pauseMs: 0 }] : []),
        ...(paced > 0 ? [pooled(paced)] : []),
      ];
    }
    case 'fresh':
      return [{ client: 'fresh', method, path, workers: connections, pauseMs: pause(connections) }];
    case 'slow':
      return [{ client: 'slow', path: longLivedPaths(options).slowPath, workers: connections, pauseMs: 0 }, pooled(LOAD_DEFAULTS.backgroundWorkers)];
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
    okStatus: options.okStatus,
    onRecord: options.onRecord,
    inClusterNamespace: options.inClusterNamespace,
    ...(options.ingressService ? { ingressService: options.ingressService } : {}),
    ...(options.hostHeader ? { hostHeader: options.hostHeader } : {}),
  });
  const streams: StreamClient[] = [];
  const paths = longLivedPaths(options);
  for (let i = 0; i < (options.profile === 'sse' || options.profile === 'websocket' ? LOAD_DEFAULTS.streamClients : 0); i++) {
    streams.push(options.profile === 'sse'
      ? openSse(options.baseUrl, { path: paths.ssePath, maxReconnects: LOAD_DEFAULTS.sseMaxReconnects, maxRetryWaitMs: LOAD_DEFAULTS.sseMaxRetryWaitMs, heartbeatIntervalMs: options.streamHeartbeatMs })
      : openWebSocket(options.baseUrl, { path: paths.wsPath, heartbeatIntervalMs: options.streamHeartbeatMs }));
  }
  let result: Promise<LoadResult> | undefined;
  return {
    okCount: () => requests.served().total,
    failedCount: () => requests.failed().length,
    stop() {
      result ??= (async () => {
        const streamRecords = streams.flatMap((s) => s.stop());
        const { records, served, totals, idleCloses, harness } = await requests.stop();
        return { requests: records, idleCloses, served, streams: streamRecords, totals, harness };
      })();
      return result;
    },
  };
}
