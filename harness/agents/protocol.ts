// What an agent prints on stdout, one JSON value per line (NDJSON), all times the agent's Date.now():
//   {"t":"start","agentMs":…,"index":0,"pod":"…","node":"…","kinds":[{"client":"keepalive","path":"/"}]}
//   {"t":"clock","agentMs":…}                                   right after start, then every second
//   [seq,startMs,durationMs,status,bytes,reused,pod,kind]      a served request (reused 0|1, pod null when unnamed,
//   [seq,startMs,durationMs,status,bytes,reused,pod,kind,retryOf]   kind indexes `kinds`; a served retry adds retryOf)
//   {"t":"req","r":RequestRecord}                              a failed request, or one in flight at stop
//   {"t":"end","agentMs":…,"reason":"duration","totals":{…},"idleCloses":[…],"harness":{…}}   harness: its own event-loop delay and CPU
//   {"t":"error","agentMs":…,"message":"…"}                    the agent could not run (then exits 2)
// Every request is one line (ok + failed + in flight = totals.sent), so the harness rebuilds `requests` and `served`
// exactly as the local load would, and checks the seqs 0..sent−1 are each there once.
import type { ClientKind, HarnessHealth, IdleClose, RequestRecord, RequestTotals } from '../model/run-data.ts';

/** What a population sends: an ok line names it by index instead of repeating it. */
export interface RequestKind {
  client: ClientKind;
  /** Absent = GET (as on RequestRecord). */
  method?: string;
  path: string;
}

export type EndReason = 'duration' | 'requests' | 'signal';

export type OkLine = [seq: number, startMs: number, durationMs: number, status: number, bytes: number, reused: 0 | 1, pod: string | null, kind: number, retryOf?: number];

export type AgentLine =
  | { t: 'start'; agentMs: number; index: number; pod: string; node: string; kinds: RequestKind[] }
  | { t: 'clock'; agentMs: number }
  | { t: 'req'; r: RequestRecord }
  | { t: 'end'; agentMs: number; reason: EndReason; totals: RequestTotals; idleCloses: IdleClose[]; harness?: HarnessHealth }
  | { t: 'error'; agentMs: number; message: string };

const kindKey = (k: { client: string; method?: string; path: string }) => `${k.client} ${k.method ?? 'GET'} ${k.path}`;

/** Agent side: one line per record; a served one compactly when its kind is known, else in full. */
export function recordLineEncoder(kinds: readonly RequestKind[]): (record: RequestRecord) => string {
  const kindIndex = new Map(kinds.map((k, i) => [kindKey(k), i]));
  return (record) => {
    const kind = kindIndex.get(kindKey(record));
    if (record.outcome !== 'ok' || kind === undefined || record.endMs === undefined || record.status === undefined) return JSON.stringify({ t: 'req', r: record });
    const line: OkLine = [record.seq, record.startMs, record.endMs - record.startMs, record.status, record.bytes, record.reusedSocket ? 1 : 0, record.pod ?? null, kind];
    if (record.retryOf !== undefined) line.push(record.retryOf);
    return JSON.stringify(line);
  };
}

/** Harness side: the served record an ok line stands for, keys in the order the local load gives them. */
export function okRecord(line: OkLine, kind: RequestKind): RequestRecord {
  const [seq, startMs, durationMs, status, bytes, reused, pod, , retryOf] = line;
  const record: RequestRecord = kind.method === undefined
    ? { seq, client: kind.client, path: kind.path, startMs, outcome: 'ok', bytes, reusedSocket: reused === 1 }
    : { seq, client: kind.client, method: kind.method, path: kind.path, startMs, outcome: 'ok', bytes, reusedSocket: reused === 1 };
  if (retryOf !== undefined) record.retryOf = retryOf;
  record.status = status;
  if (pod !== null) record.pod = pod;
  record.endMs = startMs + durationMs;
  return record;
}

export type ParsedLine = { kind: 'ok'; line: OkLine } | { kind: 'line'; line: AgentLine } | { kind: 'unparsed'; text: string };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Parses one stdout line; anything that is not a line of this protocol (a crash's stack trace) is `unparsed`. */
export function parseAgentLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unparsed', text };
  }
  if (Array.isArray(value)) {
    const [seq, startMs, durationMs, status, bytes, reused, pod, kind, retryOf] = value as unknown[];
    const valid = isNumber(seq) && isNumber(startMs) && isNumber(durationMs) && isNumber(status) && isNumber(bytes) && (reused === 0 || reused === 1)
      && (pod === null || typeof pod === 'string') && isNumber(kind) && (retryOf === undefined || isNumber(retryOf)) && value.length <= 9;
    return valid ? { kind: 'ok', line: value as OkLine } : { kind: 'unparsed', text };
  }
  const line = value as Partial<AgentLine> | null;
  if (line === null || typeof line !== 'object') return { kind: 'unparsed', text };
  switch (line.t) {
    case 'start': case 'clock': case 'end': case 'error':
      return isNumber(line.agentMs) ? { kind: 'line', line: line as AgentLine } : { kind: 'unparsed', text };
    case 'req':
      return line.r && isNumber(line.r.seq) && isNumber(line.r.startMs) ? { kind: 'line', line: line as AgentLine } : { kind: 'unparsed', text };
    default:
      return { kind: 'unparsed', text };
  }
}
