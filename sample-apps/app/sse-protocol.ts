// Server-Sent Events wire format, both directions, as pure functions (the load clients reuse the parser).
// Event ids are a stateless counter, so any instance can resume a stream another one ended.

/** First event id to send to a client that reconnects with `Last-Event-ID` (0 for a new stream). */
export function firstEventIdAfter(lastEventId: string | string[] | undefined): number {
  const raw = Array.isArray(lastEventId) ? lastEventId[0] : lastEventId;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return 0;
  return Number(raw.trim()) + 1;
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
}

/** Incremental parser for the subset of the SSE format this project emits (id, data, retry, comments). */
export function createSseParser(): SseParser {
  let buffer = '';
  let retry: number | undefined;
  let id: string | undefined;
  let data: string[] = [];
  return {
    retryMs: () => retry,
    push(chunk) {
      buffer += chunk;
      const events: SseMessage[] = [];
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) events.push({ id, data: data.join('\n') });
          id = undefined;
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'data') data.push(value);
          else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
      return events;
    },
  };
}
