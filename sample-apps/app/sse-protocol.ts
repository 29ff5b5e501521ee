// Server-Sent Events wire format, both directions, as pure functions (the load clients reuse the parser).
// Event ids are a per-stream sequence kept by the client, not by a pod: a stream starts at 0 and whichever instance
// takes a reconnect continues at Last-Event-ID + 1. So a client can count what a resume skipped or repeated.

/** A sequence id (a decimal integer below 2^53), or undefined for anything else (random ids, timestamps with text…). */
export function parseSequenceId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/** First event id to send to a client that reconnects with `Last-Event-ID` (0 for a new stream). */
export function firstEventIdAfter(lastEventId: string | string[] | undefined): number {
  const last = parseSequenceId(Array.isArray(lastEventId) ? lastEventId[0] : lastEventId);
  return last === undefined ? 0 : last + 1;
}

export function formatSseEvent(id: number, data: string): string {
  return `id: ${id}\ndata: ${data}\n\n`;
}

/** A block with only `retry:` dispatches no event; it tells the client how long to wait before reconnecting. */
export function formatSseRetry(retryMs: number): string {
  return `retry: ${retryMs}\n\n`;
}

export interface SseMessage {
  id?: string;
  data: string;
}

export interface SseParser {
  /** Feeds a chunk; returns the events completed by it. */
  push(chunk: string): SseMessage[];
  /** Last `retry:` value seen, in ms. */
  retryMs(): number | undefined;
  /** A `retry:` field came after the last event: the server's goodbye, not a setting sent when the stream opened. */
  retryAfterLastEvent(): boolean;
}

/** Incremental parser for the subset of the SSE format this project emits (id, data, retry, comments). */
export function createSseParser(): SseParser {
  let buffer = '';
  let retry: number | undefined;
  let retryAfterLastEvent = false;
  let id: string | undefined;
  let data: string[] = [];
  return {
    retryMs: () => retry,
    retryAfterLastEvent: () => retryAfterLastEvent,
    push(chunk) {
      buffer += chunk;
      const events: SseMessage[] = [];
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            events.push({ id, data: data.join('\n') });
            retryAfterLastEvent = false;
          }
          id = undefined;
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'data') data.push(value);
          else if (field === 'retry' && /^\d+$/.test(value)) {
            retry = Number(value);
            retryAfterLastEvent = true;
          }
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
      return events;
    },
  };
}
