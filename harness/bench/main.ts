// `npm run bench`: throughput of our accounted load client against raw autocannon (and wrk when on PATH), all
// against one local node:http server running in a child process, plus the accounted client's retained heap per
// million requests. BENCH_SECONDS sets the seconds per client (default 5). The last stdout line is
// `ratio_vs_autocannon=<x.xx>` (accounted rps / autocannon rps). Re-runs itself with --expose-gc for heap figures.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from './local-server.ts';
import { measureAccounted, measureAutocannon, measureWrk, onPath } from './measure.ts';
import { benchSeconds, formatTable, mibPerMillion, ratio, ratioLine, type Row } from './report.ts';

const CONNECTIONS = 16;
const WARMUP_SECONDS = 1;
const RESPAWNED_ENV = 'DRAINSPEC_BENCH_RESPAWNED';

const progress = (message: string): void => void process.stderr.write(`bench: ${message}\n`);

/** Runs this script again under --expose-gc (once), bounded in time; resolves to its exit code. */
async function respawnWithGc(seconds: number): Promise<number> {
  const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, [RESPAWNED_ENV]: '1' },
  });
  const limitMs = (seconds * 4 + WARMUP_SECONDS + 120) * 1000;
  const watchdog = setTimeout(() => child.kill('SIGKILL'), limitMs);
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        progress(`could not re-run with --expose-gc: ${error.message}`);
        resolve(1);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    clearTimeout(watchdog);
  }
}

async function bench(seconds: number): Promise<number> {
  const gcNote = typeof globalThis.gc === 'function' ? '' : 'no --expose-gc';
  const server = await startLocalServer({ lifetimeMs: (seconds * 4 + WARMUP_SECONDS + 60) * 1000 });
  let rows: Row[];
  let accountedRatio: number | undefined;
  try {
    progress(`server ${server.url} in a child process; clients in pid ${process.pid} (node ${process.version}); ${CONNECTIONS} connections, pipelining 1, ${seconds} s each`);
    progress(`warm-up (autocannon, ${WARMUP_SECONDS} s)`);
    await measureAutocannon(server.url, CONNECTIONS, WARMUP_SECONDS);
    progress('autocannon (baseline)');
    const base = await measureAutocannon(server.url, CONNECTIONS, seconds);
    progress('accounted load (startAccountedLoad, keepalive)');
    const acc = await measureAccounted(server.url, CONNECTIONS, seconds);
    const wrkPath = onPath('wrk');
    let wrkRow: Row;
    if (wrkPath === undefined) {
      progress('wrk: skipped (not on PATH)');
      wrkRow = { label: 'wrk -t1 throughput', value: undefined, unit: 'req/s', baseline: base.rps, note: 'skipped: wrk not on PATH' };
    } else {
      progress(`wrk (${wrkPath})`);
      const wrk = await measureWrk(wrkPath, server.url, CONNECTIONS, seconds);
      wrkRow = 'rps' in wrk
        ? { label: 'wrk -t1 throughput', value: wrk.rps, unit: 'req/s', baseline: base.rps }
        : { label: 'wrk -t1 throughput', value: undefined, unit: 'req/s', baseline: base.rps, note: `failed: ${wrk.error}` };
    }
    const baseHeap = base.retainedBytes === undefined ? undefined : mibPerMillion(base.retainedBytes, base.requests);
    rows = [
      { label: 'autocannon throughput', value: base.rps, unit: 'req/s', baseline: base.rps, note: `${base.requests} req in ${base.seconds.toFixed(2)} s, ${base.failed} failed` },
      {
        label: 'accounted throughput', value: acc.rps, unit: 'req/s', baseline: base.rps,
        note: `${acc.requests} ok of ${acc.sent} in ${acc.seconds.toFixed(2)} s, ${acc.failed} failed, ${acc.inFlight} in flight`,
      },
      wrkRow,
      { label: 'autocannon client CPU', value: base.cpuMicrosPerRequest, unit: 'µs/req', baseline: base.cpuMicrosPerRequest, note: 'user + system, load-generator process' },
      { label: 'accounted client CPU', value: acc.cpuMicrosPerRequest, unit: 'µs/req', baseline: base.cpuMicrosPerRequest, note: 'user + system, load-generator process' },
      { label: 'autocannon retained heap', value: baseHeap, unit: 'MiB/1M req', baseline: baseHeap, note: gcNote || 'result object only; no per-request records' },
      {
        label: 'accounted live heap', value: acc.liveBytes === undefined ? undefined : mibPerMillion(acc.liveBytes, acc.sent), unit: 'MiB/1M req', baseline: baseHeap,
        note: gcNote || 'at the deadline, before stop(): served counters, failed records, sockets',
      },
      {
        label: 'accounted retained heap', value: acc.retainedBytes === undefined ? undefined : mibPerMillion(acc.retainedBytes, acc.sent), unit: 'MiB/1M req', baseline: baseHeap,
        note: gcNote || 'after stop(), caller holds the LoadResult (served counters + failed records + totals)',
      },
    ];
    accountedRatio = ratio(acc.rps, base.rps);
  } finally {
    await server.close();
  }
  if (accountedRatio === undefined) throw new Error('autocannon baseline completed no requests; no ratio to report');
  process.stdout.write(`${formatTable(rows)}\n${ratioLine(accountedRatio)}\n`);
  return 0;
}

async function main(): Promise<number> {
  const seconds = benchSeconds(process.env.BENCH_SECONDS);
  if (typeof globalThis.gc !== 'function' && process.env[RESPAWNED_ENV] !== '1') return respawnWithGc(seconds);
  return bench(seconds);
}

try {
  process.exitCode = await main();
} catch (error) {
  progress(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
