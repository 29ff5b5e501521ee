// The harness's side of one agent: its log lines (with the container runtime's timestamps) as they arrive, turned
// into counts, records and served requests, kept in the agent's clock until its offset is final; plus the clock
// evidence that offset comes from.
import type { HarnessHealth, IdleClose, RequestRecord, RequestTotals } from '../model/run-data.ts';
import { FineServed } from './fine-served.ts';
import { okRecord, parseAgentLine, type EndReason, type RequestKind } from './protocol.ts';

/** How the agent's clock was put on the harness's. */
export interface AgentClock {
  /** Harness clock − agent clock, as applied to its records: harness ms = agent ms + offsetMs. */
  offsetMs: number;
  /** Where offsetMs comes from: `receive` = receiveOffsetMs; `runtime-stamps` = the node's clock offset + runtimeMinusAgentMs. */
  source: 'receive' | 'runtime-stamps';
  /**
   * The least (harness receive time − agentMs) over the clock lines: the true offset plus the quickest line's
   * delivery through the runtime, kubelet and API server — an upper bound of it, looser while the log is busy.
   */
  receiveOffsetMs: number;
  /** The true offset is at least this: the agent's start line cannot precede the Job's creation (harness clock). */
  lowerBoundMs?: number;
  samples: number;
  /** Median of (receive time − agentMs) − receiveOffsetMs: how much later than the quickest a clock line usually arrives. */
  medianExtraDelayMs: number;
  /** Least (runtime's line timestamp − agentMs): node clock − agent clock plus the stdout pipe (≈ 0 on one kernel). */
  runtimeMinusAgentMs?: number;
  /** Least (receive time − runtime's line timestamp): harness clock − node clock plus the log's way through the API. */
  receivedMinusRuntimeMs?: number;
}

export interface AgentSummary {
  index: number;
  pod: string;
  node: string;
  /** Its start line, in the harness's clock (absent: none arrived). */
  startedAtMs?: number;
  /** Counted from the lines received: sent = ok + failed + inFlight. */
  totals: RequestTotals;
  /** What the agent's end line said (absent: none arrived). */
  reportedTotals?: RequestTotals;
  endReason?: EndReason;
  /** The agent's own event-loop delay and CPU, from its end line (absent: no end line, or an older agent image). */
  harness?: HarnessHealth;
  /** The end line arrived, it agrees with the counted totals, and every seq 0..sent−1 arrived once. */
  complete: boolean;
  missingSeqs: number;
  /** Lines seen twice (a resumed log stream repeats some): ignored. */
  duplicateLines: number;
  /** Lines that are not the protocol's (e.g. a crash's stack trace); the first few are kept. */
  unparsedLines: number;
  firstUnparsed: string[];
  /** The agent's own error line, when it could not run. */
  error?: string;
  clock: AgentClock;
}

const KEPT_UNPARSED = 5;
const RUNTIME_STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;

/** The container runtime's RFC 3339 line timestamp (nanoseconds) as fractional epoch ms; undefined if it is not one. */
export function runtimeStampMs(stamp: string): number | undefined {
  const match = RUNTIME_STAMP.exec(stamp);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}Z`);
  return Number.isNaN(seconds) ? undefined : seconds + (match[2] ? Number(`0.${match[2]}`) * 1000 : 0);
}

/** Request ids unique across agents: agent seq × agents + index (so seq % agents names the agent). */
export const mergedSeq = (seq: number, index: number, agents: number): number => seq * agents + index;

export interface AgentLogOptions {
  /** When the harness created the Job (its clock): no agent line can precede it. */
  createdAtMs: number;
  /** Every request as it arrives (see RunAgentsOptions.onRecord). */
  onRecord?: (record: RequestRecord) => void;
  /**
   * Harness clock − the nodes' clock, when known (kind: 0, one kernel; elsewhere the API server's measured offset, its
   * nodes assumed NTP-synchronised): offsets then come from the runtime's line timestamps, which no log delay skews.
   */
  nodeClockOffsetMs?: number;
}

export class AgentLog {
  readonly index: number;
  readonly #agents: number;
  readonly #createdAtMs: number;
  readonly #nodeClockOffsetMs: number | undefined;
  readonly #onRecord: ((record: RequestRecord) => void) | undefined;
  #pod = '';
  #node = '';
  #kinds: RequestKind[] | undefined;
  #startAgentMs: number | undefined;
  readonly #delays: number[] = [];
  #receiveOffsetMs = 0;
  #runtimeMinusAgentMs = Infinity;
  #receivedMinusRuntimeMs = Infinity;
  #seen = new Uint8Array(1024);
  #duplicates = 0;
  #unparsed = 0;
  readonly #firstUnparsed: string[] = [];
  readonly #records: RequestRecord[] = [];
  readonly served = new FineServed();
  #failed = 0;
  #inFlight = 0;
  readonly #byErrorCode: RequestTotals['byErrorCode'] = {};
  #end: { reason: EndReason; totals: RequestTotals; idleCloses: IdleClose[]; harness?: HarnessHealth } | undefined;
  #error: string | undefined;

  constructor(index: number, agents: number, options: AgentLogOptions) {
    this.index = index;
    this.#agents = agents;
    this.#createdAtMs = options.createdAtMs;
    this.#onRecord = options.onRecord;
    this.#nodeClockOffsetMs = options.nodeClockOffsetMs;
  }

  /** The offset applied, as known so far (records streamed live use it; the result uses the final one). */
  get #offsetMs(): number {
    return this.#nodeClockOffsetMs !== undefined && Number.isFinite(this.#runtimeMinusAgentMs)
      ? Math.round(this.#nodeClockOffsetMs + this.#runtimeMinusAgentMs)
      : this.#receiveOffsetMs;
  }

  get okCount(): number {
    return this.served.total;
  }

  get failedCount(): number {
    return this.#failed;
  }

  /** The end line (or an error line) arrived: the agent has nothing more to say. */
  get ended(): boolean {
    return this.#end !== undefined || this.#error !== undefined;
  }

  get pod(): string {
    return this.#pod;
  }

  /** The agent's start line in the harness's clock (with the offset known so far). */
  get startedAtMs(): number | undefined {
    return this.#startAgentMs === undefined ? undefined : this.#startAgentMs + this.#offsetMs;
  }

  /** One log line as the API delivered it, `<runtime timestamp> <text>` (timestamps=true) or just the text. */
  feed(raw: string, receivedMs: number): void {
    const space = raw.indexOf(' ');
    const stampMs = space > 0 ? runtimeStampMs(raw.slice(0, space)) : undefined;
    const text = stampMs === undefined ? raw : raw.slice(space + 1);
    if (text.trim() === '') return;
    const parsed = parseAgentLine(text);
    if (parsed.kind === 'unparsed') return this.#noteUnparsed(text);
    if (parsed.kind === 'ok') {
      const [seq, startMs, durationMs, , , reused, pod, kindIndex] = parsed.line;
      const kind = this.#kinds?.[kindIndex];
      if (!kind) return this.#noteUnparsed(text);
      if (!this.#firstSight(seq)) return;
      this.served.add(pod ?? undefined, reused === 1, startMs, startMs + durationMs);
      if (this.#onRecord) this.#onRecord(this.#toHarness(okRecord(parsed.line, kind), this.#offsetMs));
      return;
    }
    const line = parsed.line;
    switch (line.t) {
      case 'start':
        this.#pod = line.pod;
        this.#node = line.node;
        this.#kinds = line.kinds;
        this.#startAgentMs = line.agentMs;
        break;
      case 'clock':
        this.#delays.push(receivedMs - line.agentMs);
        this.#receiveOffsetMs = this.#delays.length === 1 ? receivedMs - line.agentMs : Math.min(this.#receiveOffsetMs, receivedMs - line.agentMs);
        if (stampMs !== undefined) {
          this.#runtimeMinusAgentMs = Math.min(this.#runtimeMinusAgentMs, stampMs - line.agentMs);
          this.#receivedMinusRuntimeMs = Math.min(this.#receivedMinusRuntimeMs, receivedMs - stampMs);
        }
        break;
      case 'req': {
        const record = line.r;
        if (!this.#firstSight(record.seq)) return;
        if (record.outcome === 'ok') this.served.add(record.pod, record.reusedSocket, record.startMs, record.endMs ?? record.startMs);
        else {
          this.#records.push(record);
          if (record.outcome === 'in-flight') this.#inFlight += 1;
          else {
            this.#failed += 1;
            const code = record.errorCode ?? 'OTHER';
            this.#byErrorCode[code] = (this.#byErrorCode[code] ?? 0) + 1;
          }
        }
        this.#onRecord?.(this.#toHarness(record, this.#offsetMs));
        break;
      }
      case 'end':
        this.#end = { reason: line.reason, totals: line.totals, idleCloses: line.idleCloses, ...(line.harness ? { harness: line.harness } : {}) };
        break;
      case 'error':
        this.#error = line.message;
        break;
    }
  }

  totals(): RequestTotals {
    const ok = this.served.total;
    return { sent: ok + this.#failed + this.#inFlight, ok, failed: this.#failed, inFlight: this.#inFlight, byErrorCode: { ...this.#byErrorCode } };
  }

  clock(): AgentClock {
    const delays = [...this.#delays].sort((a, b) => a - b);
    const median = delays.length === 0 ? 0 : (delays[Math.floor(delays.length / 2)] as number) - this.#receiveOffsetMs;
    return {
      offsetMs: this.#offsetMs,
      source: this.#nodeClockOffsetMs !== undefined && Number.isFinite(this.#runtimeMinusAgentMs) ? 'runtime-stamps' : 'receive',
      receiveOffsetMs: this.#receiveOffsetMs,
      ...(this.#startAgentMs === undefined ? {} : { lowerBoundMs: this.#createdAtMs - this.#startAgentMs }),
      samples: delays.length,
      medianExtraDelayMs: median,
      ...(Number.isFinite(this.#runtimeMinusAgentMs) ? { runtimeMinusAgentMs: round3(this.#runtimeMinusAgentMs) } : {}),
      ...(Number.isFinite(this.#receivedMinusRuntimeMs) ? { receivedMinusRuntimeMs: round3(this.#receivedMinusRuntimeMs) } : {}),
    };
  }

  summary(): AgentSummary {
    const totals = this.totals();
    const reported = this.#end?.totals;
    let missing = 0;
    for (let seq = 0; seq < Math.max(totals.sent, reported?.sent ?? 0); seq++) if (!this.#has(seq)) missing += 1;
    return {
      index: this.index,
      pod: this.#pod,
      node: this.#node,
      ...(this.startedAtMs === undefined ? {} : { startedAtMs: this.startedAtMs }),
      totals,
      ...(reported ? { reportedTotals: reported, endReason: this.#end?.reason } : {}),
      ...(this.#end?.harness ? { harness: this.#end.harness } : {}),
      complete: reported !== undefined && missing === 0 && sameTotals(reported, totals),
      missingSeqs: missing,
      duplicateLines: this.#duplicates,
      unparsedLines: this.#unparsed,
      firstUnparsed: [...this.#firstUnparsed],
      ...(this.#error === undefined ? {} : { error: this.#error }),
      clock: this.clock(),
    };
  }

  /** Failed and in-flight records, and idle closes, in the harness's clock with the final offset. */
  harnessRecords(): { records: RequestRecord[]; idleCloses: IdleClose[] } {
    const offset = this.#offsetMs;
    return {
      records: this.#records.map((r) => this.#toHarness(r, offset)),
      idleCloses: (this.#end?.idleCloses ?? []).map((c) => ({ ...c, atMs: c.atMs + offset })),
    };
  }

  #toHarness(record: RequestRecord, offsetMs: number): RequestRecord {
    const shifted: RequestRecord = { ...record, seq: mergedSeq(record.seq, this.index, this.#agents), startMs: record.startMs + offsetMs };
    if (record.endMs !== undefined) shifted.endMs = record.endMs + offsetMs;
    if (record.retryOf !== undefined) shifted.retryOf = mergedSeq(record.retryOf, this.index, this.#agents);
    if (record.retriedAs !== undefined) shifted.retriedAs = mergedSeq(record.retriedAs, this.index, this.#agents);
    return shifted;
  }

  #noteUnparsed(text: string): void {
    this.#unparsed += 1;
    if (this.#firstUnparsed.length < KEPT_UNPARSED) this.#firstUnparsed.push(text.slice(0, 300));
  }

  #has(seq: number): boolean {
    const byte = seq >> 3;
    return byte < this.#seen.length && ((this.#seen[byte] as number) & (1 << (seq & 7))) !== 0;
  }

  /** Marks `seq` as seen; false (and counted) when it was already. */
  #firstSight(seq: number): boolean {
    if (this.#has(seq)) {
      this.#duplicates += 1;
      return false;
    }
    const byte = seq >> 3;
    if (byte >= this.#seen.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.#seen.length * 2));
      grown.set(this.#seen);
      this.#seen = grown;
    }
    this.#seen[byte] = (this.#seen[byte] as number) | (1 << (seq & 7));
    return true;
  }
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

function sameTotals(a: RequestTotals, b: RequestTotals): boolean {
  return a.sent === b.sent && a.ok === b.ok && a.failed === b.failed && a.inFlight === b.inFlight;
}
