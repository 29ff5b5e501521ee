// The accounted HTTP client: every request is recorded from start to end, and requests still outstanding at
// stop are counted as in flight. Bounded by request count and time; only 127.0.0.1 targets are accepted.
import type { ClientKind, RequestRecord, RequestTotals } from '../model/run-data.ts';
import { HttpConnection } from './http-connection.ts';

/** The request head for `path`: a plain GET, `Connection: close` for the fresh-connection population. */
export function requestHead(base: URL, path: string, close: boolean): Buffer {
  const target = new URL(path, base);
  return Buffer.from(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`, 'latin1');
}

export interface Population {
  client: Extract<ClientKind, 'keepalive' | 'fresh' | 'slow'>;
  path: string;
  /** Concurrent sequential workers; keep-alive and slow workers share one pooled agent per population. */
  workers: number;
  /** Pause between a worker's requests (0 = back to back). */
  pauseMs: number;
}

export interface LoadOptions {
  baseUrl: string;
  populations: Population[];
  maxRequests: number;
  maxDurationMs: number;
  requestTimeoutMs: number;
}

export interface LoadResult {
  records: RequestRecord[];
  totals: RequestTotals;
}

export interface RunningLoad {
  /** Records so far (live view, for waiting on conditions). */
  records(): readonly RequestRecord[];
  /** Stops issuing, waits up to the request timeout for outstanding requests, and accounts for every one. */
  stop(): Promise<LoadResult>;
}

export function totalsOf(records: readonly RequestRecord[]): RequestTotals {
  const totals: RequestTotals = { sent: records.length, ok: 0, failed: 0, inFlight: 0, byErrorCode: {} };
  for (const r of records) {
    if (r.outcome === 'ok') totals.ok += 1;
    else if (r.outcome === 'in-flight') totals.inFlight += 1;
    else {
      totals.failed += 1;
      const code = r.errorCode ?? 'OTHER';
      totals.byErrorCode[code] = (totals.byErrorCode[code] ?? 0) + 1;
    }
  }
  return totals;
}

const MAX_INTERNED_POD_NAMES = 1_024;

export function startAccountedLoad(options: LoadOptions): RunningLoad {
  const base = new URL(options.baseUrl);
  if (base.hostname !== '127.0.0.1') throw new Error(`load targets 127.0.0.1 only, got ${base.hostname}`);
  const records: RequestRecord[] = [];
  const deadlineMs = Date.now() + options.maxDurationMs;
  const connections = new Set<HttpConnection>();
  let stopping = false;
  // Every response carries its own copy of the pod name; records keep one shared string per distinct name (a
  // bounded number of names: past that, values are kept as they came).
  const podNames = new Map<string, string>();
  const podName = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const known = podNames.get(value);
    if (known !== undefined) return known;
    if (podNames.size < MAX_INTERNED_POD_NAMES) podNames.set(value, value);
    return value;
  };
  const port = Number(base.port || 80);
  const open = (): HttpConnection => {
    const connection = new HttpConnection(port, options.requestTimeoutMs);
    connections.add(connection);
    return connection;
  };
  const close = (connection: HttpConnection): void => {
    connection.destroy();
    connections.delete(connection);
  };

  const sendOne = async (population: Population, request: Buffer, connection: HttpConnection): Promise<void> => {
    const record: RequestRecord = { seq: records.length, client: population.client, path: population.path, startMs: Date.now(), outcome: 'in-flight', bytes: 0, reusedSocket: connection.used };
    records.push(record);
    const result = await connection.exchange(request);
    if (record.outcome !== 'in-flight') return;
    // Fields are assigned in the order the record always had: status, pod, bytes, endMs, outcome, then the error.
    if (result.status !== undefined) record.status = result.status;
    if (result.pod !== undefined) record.pod = podName(result.pod);
    record.bytes = result.bytes;
    record.endMs = Date.now();
    if (result.errorCode === undefined && result.status === 200) {
      record.outcome = 'ok';
      return;
    }
    record.outcome = 'failed';
    record.errorCode = result.errorCode ?? 'HTTP_STATUS';
    record.errorDetail = result.errorDetail ?? `status ${result.status}`;
  };

  const worker = async (population: Population): Promise<void> => {
    const fresh = population.client === 'fresh';
    const request = requestHead(base, population.path, fresh);
    let connection: HttpConnection | undefined;
    try {
      while (!stopping && records.length < options.maxRequests && Date.now() < deadlineMs) {
        // Keep-alive workers hold one connection and reopen it only once it is closed; fresh ones open one per request.
        if (!connection || connection.closed || fresh) {
          if (connection) close(connection);
          connection = open();
        }
        await sendOne(population, request, connection);
        if (population.pauseMs > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, population.pauseMs));
      }
    } finally {
      if (connection) close(connection);
    }
  };

  const workers = options.populations.flatMap((population) => Array.from({ length: population.workers }, () => worker(population)));

  return {
    records: () => records,
    async stop() {
      stopping = true;
      const allSettled = Promise.all(workers).then(() => 'settled' as const);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, options.requestTimeoutMs, 'timeout').unref());
      await Promise.race([allSettled, timeout]);
      const snapshot = records.map((r) => ({ ...r }));
      for (const connection of connections) connection.destroy();
      return { records: snapshot, totals: totalsOf(snapshot) };
    },
  };
}
