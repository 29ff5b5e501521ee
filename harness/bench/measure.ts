// The measured clients: autocannon (baseline), our accounted load, and wrk when it is on PATH. Each runs for a
// fixed duration against the same local server; retained heap is measured with a forced GC when available.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import autocannon from 'autocannon';
import { startAccountedLoad, type LoadResult } from '../load/accounted-load.ts';
import { parseWrkRequestsPerSec } from './report.ts';

export interface Throughput {
  /** Completed requests (2xx for the accounted client; every completed response for autocannon). */
  requests: number;
  seconds: number;
  rps: number;
  failed: number;
  /** Client-process CPU (user + system) per completed request, in µs: less sensitive to a busy machine than req/s. */
  cpuMicrosPerRequest: number;
}

export interface HeapFigures {
  /** heapUsed growth while the client's results are still held; undefined without --expose-gc. */
  retainedBytes: number | undefined;
}

const GC_ROUNDS = 3;

/** heapUsed after full collections, or undefined when gc is not exposed. */
export function settledHeapUsed(): number | undefined {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') return undefined;
  for (let i = 0; i < GC_ROUNDS; i++) gc();
  return process.memoryUsage().heapUsed;
}

function delta(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureAutocannon(url: string, connections: number, seconds: number): Promise<Throughput & HeapFigures> {
  const before = settledHeapUsed();
  const cpu0 = process.cpuUsage();
  const result = await autocannon({ url, connections, pipelining: 1, duration: seconds, timeout: 10 });
  const cpu = cpuMicros(cpu0);
  const retainedBytes = delta(before, settledHeapUsed());
  const requests = result.requests.total;
  const elapsed = result.duration > 0 ? result.duration : seconds;
  return { requests, seconds: elapsed, rps: requests / elapsed, failed: result.errors + result.non2xx, cpuMicrosPerRequest: cpu / Math.max(requests, 1), retainedBytes };
}

export interface AccountedFigures extends Throughput, HeapFigures {
  /** heapUsed growth at the deadline with the load still running (served counters, failed records, sockets). */
  liveBytes: number | undefined;
  sent: number;
  inFlight: number;
}

const REQUEST_TIMEOUT_MS = 5_000;
const SETTLE_POLL_MS = 5;
const TEARDOWN_MS = 200;

async function runAccounted(url: string, connections: number, seconds: number): Promise<{ result: LoadResult; t0: number; endMs: number; cpu: number; liveBytes: number | undefined; before: number | undefined }> {
  const before = settledHeapUsed();
  const durationMs = Math.round(seconds * 1000);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const load = startAccountedLoad({
    baseUrl: url,
    populations: [{ client: 'keepalive', path: '/', workers: connections, pauseMs: 0 }],
    maxRequests: 10_000_000,
    maxDurationMs: durationMs,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  await sleep(durationMs);
  // Workers issue nothing after the deadline; wait (bounded) for their last requests so the GC below cannot
  // stretch the measured window.
  for (let i = 0; i < REQUEST_TIMEOUT_MS / SETTLE_POLL_MS && load.inFlight() > 0; i++) await sleep(SETTLE_POLL_MS);
  const cpu = cpuMicros(cpu0);
  let endMs = t0;
  for (const pod of Object.values(load.served().pods)) endMs = Math.max(endMs, pod.lastEndMs);
  for (const r of load.failed()) endMs = Math.max(endMs, r.endMs ?? endMs);
  const liveBytes = delta(before, settledHeapUsed());
  const result = await load.stop();
  return { result, t0, endMs, cpu, liveBytes, before };
}

export async function measureAccounted(url: string, connections: number, seconds: number): Promise<AccountedFigures> {
  // The running load (and its live record array) goes out of scope here; only the caller-held result remains.
  const { result, t0, endMs, cpu, liveBytes, before } = await runAccounted(url, connections, seconds);
  // stop() returns while the destroyed sockets are still closing, and their request listeners still reach the live
  // record array; give them a moment so only what the caller holds is counted.
  await sleep(TEARDOWN_MS);
  const retainedBytes = delta(before, settledHeapUsed());
  const elapsed = Math.max(endMs - t0, 1) / 1000;
  const { totals } = result;
  return { requests: totals.ok, seconds: elapsed, rps: totals.ok / elapsed, failed: totals.failed, cpuMicrosPerRequest: cpu / Math.max(totals.ok, 1), sent: totals.sent, inFlight: totals.inFlight, liveBytes, retainedBytes };
}

/** Absolute path of `name` on PATH, if executable. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function measureWrk(wrk: string, url: string, connections: number, seconds: number): Promise<{ rps: number } | { error: string }> {
  const wholeSeconds = Math.max(1, Math.round(seconds));
  return new Promise((resolve) => {
    execFile(wrk, ['-t1', `-c${connections}`, `-d${wholeSeconds}s`, url], { timeout: (wholeSeconds + 15) * 1000, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      const rps = parseWrkRequestsPerSec(stdout);
      if (rps !== undefined) resolve({ rps });
      else resolve({ error: error ? error.message : 'no "Requests/sec:" line in wrk output' });
    });
  });
}
