// The accounted HTTP client: every request is recorded from start to end, and requests still outstanding at
// stop are counted as in flight. Bounded by request count and time; only 127.0.0.1 targets are accepted, or for the
// in-cluster agent a Service of its own namespace (target-host.ts).
// It behaves as the retrying client model (run-data.ts ClientModel) and records both attempts, so the strict model
// can be judged from the same run: the first attempt stays a failed record, `retriedAs` naming its retry.
import type { ClientKind, HarnessHealth, IdleClose, RequestRecord, RequestTotals } from '../model/run-data.ts';
import { addServed, createServed, type ServedAggregate } from '../model/served.ts';
import { HttpConnection } from './http-connection.ts';
import { checkLoadTarget, lookupOnce } from './target-host.ts';
import { startSelfMonitor } from './self-monitor.ts';
import { okStatusPredicate, requestBytes, retryable, type HttpMethod, type OkStatus } from './request-policy.ts';

export interface Population {
  client: Extract<ClientKind, 'keepalive' | 'fresh' | 'slow'>;
  /** Absent = GET. */
  method?: HttpMethod;
  path: string;
  /** Concurrent sequential workers; each keep-alive or slow worker holds one connection, fresh ones open one per request. */
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
  /** Statuses that count as served; any other is a failed record (HTTP_STATUS) with the body's start. Default 2xx–3xx. */
  okStatus?: OkStatus;
  /** Called with every request once it has ended (ok or failed), and at stop with those still in flight. */
  onRecord?: (record: RequestRecord) => void;
  /**
   * Set only by the in-cluster agent, to the namespace it runs in (downward API): the target may then be a Service of
   * that namespace by cluster DNS name (`<service>.<namespace>.svc[.cluster.local]`) instead of 127.0.0.1.
   */
  inClusterNamespace?: string;
  /** With inClusterNamespace: the cluster's ingress controller Service the run goes through, also allowed (target-host.ts). */
  ingressService?: string;
  /** The Host header of every request (an ingress that routes by host); default the target's host. */
  hostHeader?: string;
}

export interface LoadResult {
  /** Failed requests, and those still in flight at stop, in send order. Successful ones are in `served`. */
  records: RequestRecord[];
  served: ServedAggregate;
  totals: RequestTotals;
  /** Pooled connections the server closed while idle, unannounced, in time order. */
  idleCloses: IdleClose[];
  /** This process's event-loop delay and CPU from start to stop. */
  harness: HarnessHealth;
}

export interface RunningLoad {
  /** Successful requests so far (live, for waiting on conditions). */
  served(): ServedAggregate;
  /** Failed requests so far (live). */
  failed(): readonly RequestRecord[];
  /** Requests sent and not yet ended. */
  inFlight(): number;
  /** Stops issuing, waits up to the request timeout for outstanding requests, and accounts for every one. */
  stop(): Promise<LoadResult>;
}

/** sent = ok + failed + inFlight, over full records plus (when given) the aggregated successes. */
export function totalsOf(records: readonly RequestRecord[], served?: ServedAggregate): RequestTotals {
  const okServed = served?.total ?? 0;
  const totals: RequestTotals = { sent: records.length + okServed, ok: okServed, failed: 0, inFlight: 0, byErrorCode: {} };
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
  const base = checkLoadTarget(options.baseUrl, options.inClusterNamespace, options.ingressService);
  const monitor = startSelfMonitor();
  const failed: RequestRecord[] = [];
  const outstanding = new Set<RequestRecord>();
  const served = createServed(Date.now());
  let sent = 0;
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
  const target = base.hostname === '127.0.0.1' ? {} : { host: base.hostname, lookup: lookupOnce() };
  const isOk = okStatusPredicate(options.okStatus);
  const keepsBodyPrefixOf = (status: number): boolean => !isOk(status);
  const open = (): HttpConnection => {
    const connection = new HttpConnection(port, options.requestTimeoutMs, { keepsBodyPrefixOf, ...target });
    connections.add(connection);
    return connection;
  };
  const idleCloses: IdleClose[] = [];
  /** Keeps the connection's unannounced idle close, if the server made one, before letting it go. */
  const noteIdleClose = (connection: HttpConnection, client: IdleClose['client']): void => {
    if (connection.idleClosedByPeerAtMs === undefined) return;
    idleCloses.push({ atMs: connection.idleClosedByPeerAtMs, client, ...(connection.lastPod === undefined ? {} : { pod: connection.lastPod }) });
  };
  const clientOf = new WeakMap<HttpConnection, IdleClose['client']>();
  const close = (connection: HttpConnection): void => {
    connection.destroy();
    const client = clientOf.get(connection);
    // A fresh connection asked for `Connection: close` itself: its end is announced.
    if (connections.delete(connection) && client !== undefined && client !== 'fresh') noteIdleClose(connection, client);
  };

  const newRecord = (population: Population, seq: number, connection: HttpConnection): RequestRecord => {
    const startMs = Date.now();
    return population.method === undefined || population.method === 'GET'
      ? { seq, client: population.client, path: population.path, startMs, outcome: 'in-flight', bytes: 0, reusedSocket: connection.used }
      : { seq, client: population.client, method: population.method, path: population.path, startMs, outcome: 'in-flight', bytes: 0, reusedSocket: connection.used };
  };

  /**
   * Sends one request on `connection` and accounts for it; a retryable failure is retried at once on a new
   * connection. Resolves with the connection the worker holds next.
   */
  const sendOne = async (population: Population, request: Buffer, connection: HttpConnection, retry?: { seq: number; of: number }): Promise<HttpConnection> => {
    const record = newRecord(population, retry?.seq ?? sent++, connection);
    if (retry) record.retryOf = retry.of;
    outstanding.add(record);
    const result = await connection.exchange(request);
    if (!outstanding.delete(record)) return connection; // already accounted as in flight at stop
    // Fields are assigned in the order the record always had: status, pod, bytes, endMs, outcome, then the error.
    if (result.status !== undefined) record.status = result.status;
    if (result.pod !== undefined) record.pod = connection.lastPod = podName(result.pod);
    clientOf.set(connection, population.client);
    record.bytes = result.bytes;
    record.endMs = Date.now();
    if (result.errorCode === undefined && result.status !== undefined && isOk(result.status)) {
      record.outcome = 'ok';
      addServed(served, record);
      options.onRecord?.(record);
      return connection;
    }
    record.outcome = 'failed';
    record.errorCode = result.errorCode ?? 'HTTP_STATUS';
    record.errorDetail = result.errorDetail ?? `status ${result.status}`;
    if (record.errorCode === 'HTTP_STATUS' && result.bodyPrefix !== undefined) record.bodyPrefix = result.bodyPrefix;
    // The retry's seq is taken before the record streams out, so the NDJSON line already names it.
    const retrySeq = retryable(record) ? sent++ : undefined;
    if (retrySeq !== undefined) record.retriedAs = retrySeq;
    failed.push(record);
    options.onRecord?.(record);
    if (retrySeq === undefined) return connection;
    // Part of the same request: issued even at stop or the request limit (at most one per request). Runs in this
    // turn, so stop() sees the retry as outstanding or not at all.
    close(connection);
    return sendOne(population, request, open(), { seq: retrySeq, of: record.seq });
  };

  const worker = async (population: Population): Promise<void> => {
    const fresh = population.client === 'fresh';
    const request = requestBytes(base, { method: population.method ?? 'GET', path: population.path, close: fresh, ...(options.hostHeader ? { host: options.hostHeader } : {}) });
    let connection: HttpConnection | undefined;
    try {
      while (!stopping && sent < options.maxRequests && Date.now() < deadlineMs) {
        // Keep-alive workers hold one connection and reopen it only once it is closed; fresh ones open one per request.
        if (!connection || connection.closed || fresh) {
          if (connection) close(connection);
          connection = open();
        }
        connection = await sendOne(population, request, connection);
        if (population.pauseMs > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, population.pauseMs));
      }
    } finally {
      if (connection) close(connection);
    }
  };

  const workers = options.populations.flatMap((population) => Array.from({ length: population.workers }, () => worker(population)));

  return {
    served: () => served,
    failed: () => failed,
    inFlight: () => outstanding.size,
    async stop() {
      stopping = true;
      const allSettled = Promise.all(workers).then(() => 'settled' as const);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, options.requestTimeoutMs, 'timeout').unref());
      await Promise.race([allSettled, timeout]);
      // Whatever is still outstanding now is accounted as in flight, and stays so: copies, never ended.
      const inFlight = [...outstanding].map(({ endMs: _notEnded, ...record }): RequestRecord => ({ ...record, outcome: 'in-flight' }));
      outstanding.clear();
      for (const record of inFlight) options.onRecord?.(record);
      for (const connection of [...connections]) close(connection);
      const records = [...failed, ...inFlight].sort((a, b) => a.seq - b.seq);
      return { records, served, totals: totalsOf(records, served), idleCloses: idleCloses.sort((a, b) => a.atMs - b.atMs), harness: monitor.stop() };
    },
  };
}
