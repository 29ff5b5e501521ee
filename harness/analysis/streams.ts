// Whether each long-lived stream survived the rollout, and the one line of evidence when it did not (pure).
import type { StreamRecord } from '../model/run-data.ts';

/** Close codes that say "going away, reconnect": 1001 going away (RFC 6455 §7.4.1), 1012 service restart (IANA registry). */
export const GOODBYE_CLOSE_CODES: ReadonlySet<number> = new Set([1001, 1012]);

const CLOSE_CODE_NAMES: Record<number, string> = {
  // Not a goodbye: it says the stream's purpose is fulfilled, and clients such as Phoenix's do not reconnect after it.
  1000: 'normal closure: tells the client the stream is finished; a server going away sends 1001',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'close frame without a code',
  1006: 'abnormal closure, no close frame',
  1007: 'invalid payload',
  1008: 'policy violation',
  1009: 'message too big',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
};

/** The stream ended with a goodbye: an SSE `retry:` hint after its last event, or WebSocket close 1001 / 1012. */
export function streamSaidGoodbye(stream: StreamRecord): boolean {
  if (stream.end !== 'clean-close') return false;
  return stream.kind === 'sse' || (stream.closeCode !== undefined && GOODBYE_CLOSE_CODES.has(stream.closeCode));
}

/** Lost events count only where the client could count them (records before `eventContinuity` existed were trusted). */
const lostEvents = (stream: StreamRecord): number => (stream.eventContinuity === 'unknown' ? 0 : stream.lostEvents);

const closeCode = (code: number | undefined): string => (code === undefined ? 'a close frame without a code' : `${code}${CLOSE_CODE_NAMES[code] ? ` (${CLOSE_CODE_NAMES[code]})` : ''}`);
const evidence = (detail: string | undefined): string => (detail ? `: ${detail}` : '');

/** Each reason the stream failed, as phrases; empty when it survived. */
function failures(stream: StreamRecord): string[] {
  const reasons: string[] = [];
  switch (stream.end) {
    case 'never-opened':
      reasons.push(`never opened${evidence(stream.detail ?? 'no response')}`);
      break;
    case 'timeout':
      reasons.push(`went silent${evidence(stream.detail)}`);
      break;
    case 'eof':
      reasons.push(stream.kind === 'sse' ? `ended without a goodbye (a retry: hint after its last event)${evidence(stream.detail)}` : `ended without a close frame (1006)${evidence(stream.detail)}`);
      break;
    case 'reset':
      reasons.push(`was reset${evidence(stream.detail)}`);
      break;
    case 'clean-close':
      if (!streamSaidGoodbye(stream)) reasons.push(`closed with ${closeCode(stream.closeCode)}${evidence(stream.detail)}`);
      break;
    case 'open':
      break;
  }
  const lost = lostEvents(stream);
  if (lost > 0) reasons.push(`lost ${lost} event${lost === 1 ? '' : 's'} on resume`);
  return reasons;
}

/** A stream that never opened, went silent, ended without a goodbye, or lost events on resume. Duplicates do not fail it. */
export function streamFailed(stream: StreamRecord): boolean {
  return failures(stream).length > 0;
}

/**
 * One line naming the stream and what happened to it: 'websocket stream 2 on pod-x closed with 1011 (internal error)',
 * 'sse stream 0 never opened: status 404', 'sse stream 1 on pod-y lost 3 events on resume'.
 */
export function streamFailureDetail(stream: StreamRecord): string {
  const name = `${stream.kind} stream ${stream.seq}${stream.pod ? ` on ${stream.pod}` : ''}`;
  const reasons = failures(stream);
  if (reasons.length > 0) return `${name} ${reasons.join('; ')}`;
  const uncounted = stream.eventContinuity === 'unknown' ? '; lost events not countable: its ids are not a per-stream sequence' : '';
  if (stream.end === 'open') return `${name} was still open when the load stopped${uncounted}`;
  return stream.kind === 'sse' ? `${name} closed with a retry: hint (${stream.retryHintMs} ms)${uncounted}` : `${name} closed with ${closeCode(stream.closeCode)}`;
}
