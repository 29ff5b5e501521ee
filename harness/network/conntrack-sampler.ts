// Which pod each connection to the NodePort reached, from the kind node's conntrack table (kube-proxy's DNAT lives
// there: the reply source is the pod), without the app's help. One bounded `docker exec` lists the table every
// interval; stop() closes its stdin, which ends the loop inside the node too.
import type { ConnectionEvidence } from '../model/run-data.ts';
import { hasCommand, sh } from '../sh.ts';
import { parseConntrackLine, parseSampleMarker } from './conntrack-parse.ts';
import { createTraceBuilder } from './connection-traces.ts';
import { loopScript, oldTimeWaitPattern, parsePreflight, preflightScript } from './sampler-script.ts';

export interface ConnectionSamplerOptions {
  /** The kind node that publishes the NodePort on 127.0.0.1: `<cluster>-control-plane`. */
  nodeContainer: string;
  nodePort: number;
  /** Live pod IP → pod name (the observation's podByIp). */
  podByIp: () => ReadonlyMap<string, string>;
  /** Default 250 ms. */
  intervalMs?: number;
  /** The loop stops itself after this long (a sampler never outlives its run). */
  maxDurationMs: number;
}

export interface ConnectionSampler {
  stop(): Promise<ConnectionEvidence>;
}

const none = (reason: string): ConnectionSampler => ({ stop: async () => ({ source: 'none', reason }) });
/** Fresh connections stay listed this long after they closed: several samples at any interval up to 1 s. */
const TIME_WAIT_KEEP_SECONDS = 3;
const FIRST_SAMPLE_TIMEOUT_MS = 10_000;

/** Starts sampling and resolves once the first sample is in; never rejects (evidence `none` says why). */
export async function startConnectionSampler(options: ConnectionSamplerOptions): Promise<ConnectionSampler> {
  const intervalMs = options.intervalMs ?? 250;
  if (!(await hasCommand('docker'))) return none('docker not found: conntrack attribution needs the kind node containers');
  const preflightRun = await sh`docker exec ${options.nodeContainer} bash -c ${preflightScript(options.nodePort)}`.nothrow().timeout('20s');
  if (preflightRun.exitCode !== 0) return none(`cannot exec into ${options.nodeContainer}: ${oneLine(preflightRun.stderr) || `exit ${preflightRun.exitCode}`}`);
  const preflight = parsePreflight(preflightRun.stdout);
  if (preflight.missing) return none(`${options.nodeContainer} lacks ${preflight.missing}`);
  if (!preflight.accounting) return none(`conntrack byte accounting (net.netfilter.nf_conntrack_acct) is off in ${options.nodeContainer} and could not be turned on`);

  const script = loopScript({
    nodePort: options.nodePort, intervalMs, entryIds: preflight.entryIds,
    maxSamples: Math.ceil(options.maxDurationMs / intervalMs) + 1, maxSeconds: options.maxDurationMs / 1000,
    dropPattern: oldTimeWaitPattern(preflight.timeWaitSeconds, TIME_WAIT_KEEP_SECONDS),
  });
  const builder = createTraceBuilder(options.podByIp);
  let sampleAtMs: number | undefined;
  let ended = false;
  let stopping = false;
  let firstSample: () => void = () => undefined;
  const firstSampleSeen = new Promise<void>((resolve) => (firstSample = resolve));
  // Output is consumed as it streams; storing it would grow with the run.
  const run = sh({ store: discardingStore() })`docker exec -i ${options.nodeContainer} bash -c ${script}`.nothrow().timeout(options.maxDurationMs + 60_000);
  let partial = '';
  run.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('latin1')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '@end') ended = true;
      const marker = parseSampleMarker(line);
      if (marker !== undefined) {
        sampleAtMs = marker;
        builder.sample(marker);
        firstSample();
        continue;
      }
      const entry = sampleAtMs === undefined ? undefined : parseConntrackLine(line);
      if (entry && sampleAtMs !== undefined) builder.add(sampleAtMs, entry);
    }
  });
  let exitedBeforeStop = false;
  const exited = run.then((out) => {
    if (!stopping) exitedBeforeStop = true;
    return out;
  });
  const started = await Promise.race([firstSampleSeen.then(() => true), exited.then(() => false), delay(FIRST_SAMPLE_TIMEOUT_MS).then(() => false)]);
  if (!started) {
    stopping = true;
    run.stdin?.end();
    const out = await Promise.race([exited, delay(2_000).then(() => undefined)]);
    if (!out) void run.kill();
    return none(`conntrack sampler in ${options.nodeContainer} produced no sample: ${oneLine(out?.stderr ?? '') || 'no output'}`);
  }
  return {
    async stop() {
      if (stopping) return { source: 'none', reason: 'conntrack sampler stopped twice' };
      stopping = true;
      run.stdin?.end();
      const out = await Promise.race([exited, delay(intervalMs + 5_000).then(() => undefined)]);
      if (!out) void run.kill(); // the loop inside the node still ends by its own bounds
      if (exitedBeforeStop && ended) return { source: 'none', reason: `conntrack sampler reached its bound (${Math.round(options.maxDurationMs / 1000)} s) before the run ended: raise maxDurationMs` };
      if (exitedBeforeStop || (out && !ended)) return { source: 'none', reason: `conntrack sampler failed: ${oneLine(out?.stderr ?? '') || `exit ${out?.exitCode ?? '?'}`}` };
      return builder.evidence(intervalMs);
    },
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const oneLine = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 200) ?? '';

/** A zx output store that keeps stderr (small) and drops stdout, which the sampler reads as it streams. */
function discardingStore() {
  class Discard extends Array<string | Buffer> {
    override push(): number {
      return 0;
    }
  }
  return { stdout: new Discard(), stderr: [] as (string | Buffer)[], stdall: new Discard() };
}
