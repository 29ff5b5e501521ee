// The accounted HTTP client: every request is recorded from start to end, and requests still outstanding at
// stop are counted as in flight. Bounded by request count and time; only 127.0.0.1 targets are accepted.
import { Agent, request as httpRequest, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import type { ClientKind, RequestRecord, RequestTotals } from '../model/run-data.ts';
import { classifyRequestError } from './request-errors.ts';

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
  const agents: Agent[] = [];
  const outstanding = new Set<ReturnType<typeof httpRequest>>();
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

  // Per population, the request options are built once (URL parsed once, one headers object): the same options
  // http.request derived from the URL on every call before.
  const requestOptionsFor = (population: Population, agent: Agent | false): RequestOptions => ({
    ...urlToHttpOptions(new URL(population.path, base)),
    agent,
    headers: agent === false ? { connection: 'close' } : {},
  });

  const sendOne = (population: Population, requestOptions: RequestOptions): Promise<void> => {
    const record: RequestRecord = { seq: records.length, client: population.client, path: population.path, startMs: Date.now(), outcome: 'in-flight', bytes: 0, reusedSocket: false };
    records.push(record);
    return new Promise((resolve) => {
      // Fields are assigned in the order the record always had: endMs, outcome, then errorCode and errorDetail.
      const settle = (outcome: 'ok' | 'failed', errorCode?: RequestRecord['errorCode'], errorDetail?: string): void => {
        if (record.outcome !== 'in-flight') return;
        record.endMs = Date.now();
        record.outcome = outcome;
        if (errorCode !== undefined) {
          record.errorCode = errorCode;
          record.errorDetail = errorDetail;
        }
        resolve();
      };
      const req = httpRequest(requestOptions, (res) => {
        record.status = res.statusCode;
        record.pod = podName(res.headers['x-drainspec-pod'] as string | undefined);
        res.on('data', (chunk: Buffer) => (record.bytes += chunk.length));
        res.on('end', () => (res.statusCode === 200 ? settle('ok') : settle('failed', 'HTTP_STATUS', `status ${res.statusCode}`)));
        res.on('error', (error: NodeJS.ErrnoException) => settle('failed', classifyRequestError(error, 'during-body'), error.message));
      });
      outstanding.add(req);
      req.on('close', () => outstanding.delete(req));
      req.on('socket', () => (record.reusedSocket = req.reusedSocket));
      req.setTimeout(options.requestTimeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${options.requestTimeoutMs} ms`), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        record.reusedSocket = req.reusedSocket;
        settle('failed', classifyRequestError(error, 'before-response'), `${error.code ?? ''} ${error.message}`.trim());
      });
      req.end();
    });
  };

  const worker = async (population: Population, agent: Agent | false): Promise<void> => {
    const requestOptions = requestOptionsFor(population, agent);
    while (!stopping && records.length < options.maxRequests && Date.now() < deadlineMs) {
      await sendOne(population, requestOptions);
      if (population.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, population.pauseMs));
    }
  };

  const workers = options.populations.flatMap((population) => {
    const agent = population.client === 'fresh' ? false : new Agent({ keepAlive: true, maxSockets: population.workers });
    if (agent) agents.push(agent);
    return Array.from({ length: population.workers }, () => worker(population, agent));
  });

  return {
    records: () => records,
    async stop() {
      stopping = true;
      const allSettled = Promise.all(workers).then(() => 'settled' as const);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, options.requestTimeoutMs, 'timeout').unref());
      await Promise.race([allSettled, timeout]);
      const snapshot = records.map((r) => ({ ...r }));
      for (const req of outstanding) req.destroy();
      for (const agent of agents) agent.destroy();
      return { records: snapshot, totals: totalsOf(snapshot) };
    },
  };
}
