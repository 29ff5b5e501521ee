import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../model/run-data.ts';
import { AgentLog, runtimeStampMs } from './agent-log.ts';
import { okRecord, parseAgentLine, recordLineEncoder, type OkLine, type RequestKind } from './protocol.ts';

const kinds: RequestKind[] = [{ client: 'keepalive', path: '/' }, { client: 'fresh', method: 'POST', path: '/echo' }];
const encode = recordLineEncoder(kinds);

/** A served record as the local load builds it (accounted-load.ts: created in flight, then completed in place). */
function localOk(seq: number, extra: { method?: string; retryOf?: number; pod?: string } = {}): RequestRecord {
  const record: RequestRecord = extra.method === undefined
    ? { seq, client: 'keepalive', path: '/', startMs: 1_000 + seq, outcome: 'in-flight', bytes: 0, reusedSocket: seq > 0 }
    : { seq, client: 'fresh', method: extra.method, path: '/echo', startMs: 1_000 + seq, outcome: 'in-flight', bytes: 0, reusedSocket: false };
  if (extra.retryOf !== undefined) record.retryOf = extra.retryOf;
  record.status = 200;
  if (extra.pod !== undefined) record.pod = extra.pod;
  record.bytes = 5;
  record.endMs = record.startMs + 3;
  record.outcome = 'ok';
  return record;
}

const agentLines = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
const start = { t: 'start', agentMs: 1_000, index: 0, pod: 'agent-0', node: 'w1', kinds };

describe('agent line protocol', () => {
  test('a served request is one short line that decodes to the very record the load made (keys in order)', () => {
    for (const record of [localOk(0, { pod: 'app-1' }), localOk(1), localOk(2, { method: 'POST', pod: 'app-2' }), localOk(3, { retryOf: 2, pod: 'app-1' })]) {
      const line = encode(record);
      expect(line.startsWith('[')).toBe(true);
      const parsed = parseAgentLine(line);
      if (parsed.kind !== 'ok') throw new Error(line);
      expect(JSON.stringify(okRecord(parsed.line, kinds[parsed.line[7]] as RequestKind))).toBe(JSON.stringify(record));
    }
    expect(encode(localOk(0, { pod: 'app-6b5f7c9d8-x2kqz' })).length).toBeLessThan(60);
  });

  test('failed, in-flight and unknown-kind requests go in full', () => {
    const failed: RequestRecord = { seq: 4, client: 'keepalive', path: '/', startMs: 1, outcome: 'failed', bytes: 0, reusedSocket: true, endMs: 2, errorCode: 'SOCKET_CLOSED', errorDetail: 'x', retriedAs: 5 };
    expect(JSON.parse(encode(failed))).toEqual({ t: 'req', r: failed });
    expect(JSON.parse(encode({ ...localOk(0), path: '/other' })).t).toBe('req');
  });

  test('anything else is unparsed, not guessed at', () => {
    for (const text of ['node:internal/modules/run_main:123', '{"t":"clock"}', '[1,2,3]', '{"t":"what","agentMs":1}', 'null', '[0,1,2,200,5,2,null,0]']) {
      expect(parseAgentLine(text).kind, text).toBe('unparsed');
    }
  });

  test('runtime timestamps keep their sub-millisecond part', () => {
    expect(runtimeStampMs('2026-01-02T03:04:05.123456789Z')).toBeCloseTo(Date.UTC(2026, 0, 2, 3, 4, 5) + 123.456789, 6);
    expect(runtimeStampMs('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(runtimeStampMs('{"t":"clock"}')).toBeUndefined();
  });
});

describe('one agent\'s log on the harness side', () => {
  test('the offset is the least receive − agent time over clock lines; the Job\'s creation bounds it below', () => {
    const log = new AgentLog(0, 1, { createdAtMs: 900 });
    const lines = agentLines(start, { t: 'clock', agentMs: 1_000 }, { t: 'clock', agentMs: 2_000 }, { t: 'clock', agentMs: 3_000 });
    log.feed(`2026-01-02T03:04:05.000500000Z ${lines[0]}`, 1_500);
    const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '250000Z');
    [1_030, 2_012, 3_020].forEach((received, i) => log.feed(`${stamp(1_000 * (i + 1))} ${lines[i + 1]}`, received));
    expect(log.clock()).toEqual({ offsetMs: 12, source: 'receive', receiveOffsetMs: 12, lowerBoundMs: -100, samples: 3, medianExtraDelayMs: 8, runtimeMinusAgentMs: 0.25, receivedMinusRuntimeMs: 11.75 });
    expect(log.startedAtMs).toBe(1_012);
  });

  test('with the nodes\' clock known, the runtime\'s line timestamps set the offset, untouched by a slow log', () => {
    const log = new AgentLog(0, 1, { createdAtMs: 900, nodeClockOffsetMs: 3 });
    const lines = agentLines(start, { t: 'clock', agentMs: 1_000 }, { t: 'clock', agentMs: 2_000 });
    log.feed(lines[0] as string, 1_500);
    log.feed(`${new Date(1_000).toISOString().replace('Z', '400000Z')} ${lines[1]}`, 1_090);
    log.feed(`${new Date(2_000).toISOString().replace('Z', '900000Z')} ${lines[2]}`, 2_070);
    expect(log.clock()).toMatchObject({ offsetMs: 3, source: 'runtime-stamps', receiveOffsetMs: 70, runtimeMinusAgentMs: 0.4 });
  });

  test('lines repeated by a resumed stream count once; a missing one makes the agent incomplete', () => {
    const log = new AgentLog(1, 2, { createdAtMs: 0 });
    const ok = (seq: number): OkLine => [seq, 1_000 + seq, 2, 200, 5, 1, 'app-1', 0];
    const lines = agentLines(start, { t: 'clock', agentMs: 1_000 }, ok(0), ok(1), ok(1), ok(3),
      { t: 'end', agentMs: 2_000, reason: 'duration', totals: { sent: 4, ok: 4, failed: 0, inFlight: 0, byErrorCode: {} }, idleCloses: [] });
    for (const line of lines) log.feed(line, 1_000);
    const summary = log.summary();
    expect(summary).toMatchObject({ complete: false, missingSeqs: 1, duplicateLines: 1, totals: { sent: 3, ok: 3 }, reportedTotals: { sent: 4 }, endReason: 'duration' });
    expect(log.ended).toBe(true);
  });

  test('records streamed live carry unique seqs and the offset known so far', () => {
    const seen: RequestRecord[] = [];
    const log = new AgentLog(1, 3, { createdAtMs: 0, onRecord: (r) => seen.push(r) });
    for (const line of agentLines(start, { t: 'clock', agentMs: 1_000 }, [0, 1_000, 2, 200, 5, 0, null, 0], [1, 1_010, 2, 200, 5, 1, null, 0, 0])) log.feed(line, 1_004);
    expect(seen.map((r) => [r.seq, r.startMs, r.endMs, r.retryOf, r.pod])).toEqual([[1, 1_004, 1_006, undefined, undefined], [4, 1_014, 1_016, 1, undefined]]);
  });
});
