import { describe, expect, test } from 'vitest';
import type { StreamRecord } from '../model/run-data.ts';
import { streamFailed, streamFailureDetail, streamSaidGoodbye } from './streams.ts';

const sse = (fields: Partial<StreamRecord>): StreamRecord => ({ kind: 'sse', seq: 0, openedAtMs: 0, end: 'open', messages: 5, lostEvents: 0, duplicatedEvents: 0, eventContinuity: 'checked', ...fields });
const websocket = (fields: Partial<StreamRecord>): StreamRecord => ({ kind: 'websocket', seq: 2, pod: 'pod-x', openedAtMs: 0, end: 'open', messages: 5, lostEvents: 0, duplicatedEvents: 0, ...fields });

describe('streams that survived', () => {
  test('an SSE stream that ended after a retry: hint', () => {
    const stream = sse({ end: 'clean-close', retryHintMs: 1_000, pod: 'pod-a' });
    expect(streamFailed(stream)).toBe(false);
    expect(streamSaidGoodbye(stream)).toBe(true);
    expect(streamFailureDetail(stream)).toBe('sse stream 0 on pod-a closed with a retry: hint (1000 ms)');
  });

  test.each([1001, 1012])('a WebSocket closed with %i says goodbye', (code) => {
    const stream = websocket({ end: 'clean-close', closeCode: code });
    expect(streamFailed(stream)).toBe(false);
    expect(streamSaidGoodbye(stream)).toBe(true);
    expect(streamFailureDetail(stream)).toMatch(new RegExp(`^websocket stream 2 on pod-x closed with ${code} \\((going away|service restart)\\)$`));
  });

  test('a stream still open when the load stopped', () => {
    expect(streamFailed(sse({}))).toBe(false);
    expect(streamFailureDetail(sse({ seq: 3 }))).toBe('sse stream 3 was still open when the load stopped');
  });

  test('repeated events do not fail a stream (the client can drop them by id)', () => {
    expect(streamFailed(sse({ duplicatedEvents: 4 }))).toBe(false);
  });

  test('uncountable continuity is said, not failed', () => {
    const stream = sse({ eventContinuity: 'unknown' });
    expect(streamFailed(stream)).toBe(false);
    expect(streamFailureDetail(stream)).toBe('sse stream 0 was still open when the load stopped; lost events not countable: its ids are not a per-stream sequence');
  });
});

describe('streams that failed', () => {
  test.each<[string, StreamRecord, string]>([
    ['refused', sse({ end: 'never-opened', detail: 'ECONNREFUSED', messages: 0 }), 'sse stream 0 never opened: ECONNREFUSED'],
    ['404', sse({ end: 'never-opened', detail: 'status 404', messages: 0 }), 'sse stream 0 never opened: status 404'],
    ['no evidence', websocket({ end: 'never-opened', pod: undefined, messages: 0 }), 'websocket stream 2 never opened: no response'],
    ['silent', sse({ seq: 1, end: 'timeout', detail: 'no data for 9004 ms (idle timeout 9000 ms: as configured)' }), 'sse stream 1 went silent: no data for 9004 ms (idle timeout 9000 ms: as configured)'],
    ['SSE bare end', sse({ end: 'eof' }), 'sse stream 0 ended without a goodbye (a retry: hint after its last event)'],
    ['SSE end after a retry setting', sse({ end: 'eof', detail: 'its retry: 3000 came before the last event' }), 'sse stream 0 ended without a goodbye (a retry: hint after its last event): its retry: 3000 came before the last event'],
    ['WebSocket without a close frame', websocket({ end: 'eof' }), 'websocket stream 2 on pod-x ended without a close frame (1006)'],
    ['reset', websocket({ end: 'reset', detail: 'ECONNRESET' }), 'websocket stream 2 on pod-x was reset: ECONNRESET'],
    ['1011', websocket({ end: 'clean-close', closeCode: 1011, detail: 'reason: database gone' }), 'websocket stream 2 on pod-x closed with 1011 (internal error): reason: database gone'],
    ['1000', websocket({ end: 'clean-close', closeCode: 1000 }), 'websocket stream 2 on pod-x closed with 1000 (normal closure: tells the client the stream is finished; a server going away sends 1001)'],
    ['1005', websocket({ end: 'clean-close', closeCode: 1005 }), 'websocket stream 2 on pod-x closed with 1005 (close frame without a code)'],
    ['an unregistered code', websocket({ end: 'clean-close', closeCode: 4000 }), 'websocket stream 2 on pod-x closed with 4000'],
    ['lost on resume', sse({ seq: 1, pod: 'pod-y', lostEvents: 3 }), 'sse stream 1 on pod-y lost 3 events on resume'],
    ['lost and then silent', sse({ seq: 1, end: 'timeout', detail: 'no data for 2004 ms', lostEvents: 1 }), 'sse stream 1 went silent: no data for 2004 ms; lost 1 event on resume'],
  ])('%s', (_case, stream, detail) => {
    expect(streamFailed(stream)).toBe(true);
    expect(streamSaidGoodbye(stream)).toBe(false);
    expect(streamFailureDetail(stream)).toBe(detail);
  });

  test('lost events where continuity is unknown are not evidence; records from before the flag are trusted', () => {
    expect(streamFailed(sse({ lostEvents: 3, eventContinuity: 'unknown' }))).toBe(false);
    expect(streamFailed(sse({ lostEvents: 3, eventContinuity: undefined }))).toBe(true);
  });
});
