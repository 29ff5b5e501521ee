// Long-lived stream clients that record how each stream ended: SSE (with Last-Event-ID resume) and WebSocket.
import { request as httpRequest, type ClientRequest } from 'node:http';
import WebSocket from 'ws';
import type { StreamRecord } from '../model/run-data.ts';
import { createSseParser } from '../../sample-apps/app/sse-protocol.ts';

export interface StreamClient {
  /** One record per connection, in order; the last may still be open. */
  records(): readonly StreamRecord[];
  /** Closes whatever is open (recorded as `open`) and stops reconnecting. */
  stop(): StreamRecord[];
}

function assertLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1') throw new Error(`stream clients target 127.0.0.1 only, got ${url.hostname}`);
}

/** SSE client that reconnects (at most `maxReconnects` times) after the server's `retry:` hint, resuming from the last id. */
export function openSse(baseUrl: string, options: { maxReconnects: number; maxRetryWaitMs: number }): StreamClient {
  const url = new URL('/events', baseUrl);
  assertLoopback(url);
  const records: StreamRecord[] = [];
  let current: ClientRequest | undefined;
  let stopped = false;
  let lastId: number | undefined;

  const connect = (): void => {
    const record: StreamRecord = { kind: 'sse', seq: records.length, openedAtMs: Date.now(), end: 'open', messages: 0, lostEvents: 0, duplicatedEvents: 0 };
    const previous = records.at(-1);
    if (previous?.endedAtMs !== undefined) previous.reconnectGapMs = record.openedAtMs - previous.endedAtMs;
    records.push(record);
    const parser = createSseParser();
    let expectedId = lastId === undefined ? undefined : lastId + 1;
    const finish = (end: StreamRecord['end']): void => {
      if (record.end !== 'open' || stopped) return;
      Object.assign(record, { end, endedAtMs: Date.now(), retryHintMs: parser.retryMs() });
      const retryMs = parser.retryMs();
      if (retryMs !== undefined && records.length <= options.maxReconnects) setTimeout(connect, Math.min(retryMs, options.maxRetryWaitMs));
    };
    const headers = lastId === undefined ? {} : { 'last-event-id': String(lastId) };
    current = httpRequest(url, { agent: false, headers }, (res) => {
      record.pod = res.headers['x-drainspec-pod'] as string | undefined;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const event of parser.push(chunk)) {
          const id = Number(event.id);
          if (expectedId !== undefined && id > expectedId) record.lostEvents += id - expectedId;
          if (expectedId !== undefined && id < expectedId) record.duplicatedEvents += expectedId - id;
          expectedId = id + 1;
          lastId = id;
          record.messages += 1;
        }
      });
      // A stream that ended after a retry hint was closed on purpose; without one it is a bare EOF.
      res.on('end', () => finish(parser.retryMs() === undefined ? 'eof' : 'clean-close'));
      res.on('error', () => finish('reset'));
    });
    current.on('error', () => finish('reset'));
    current.end();
  };
  connect();

  return {
    records: () => records,
    stop() {
      stopped = true;
      current?.destroy();
      return records.map((r) => ({ ...r }));
    },
  };
}

/** WebSocket client: one connection, recording ticks and the close code (1006 = no close frame). */
export function openWebSocket(baseUrl: string): StreamClient {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  assertLoopback(url);
  const record: StreamRecord = { kind: 'websocket', seq: 0, openedAtMs: Date.now(), end: 'open', messages: 0, lostEvents: 0, duplicatedEvents: 0 };
  const ws = new WebSocket(url);
  let stopped = false;
  let errored = false;
  ws.on('message', (data) => {
    record.messages += 1;
    record.pod ??= (JSON.parse(String(data)) as { pod?: string }).pod;
  });
  ws.on('error', () => (errored = true));
  ws.on('close', (code) => {
    if (stopped) return;
    record.endedAtMs = Date.now();
    record.closeCode = code;
    record.end = code === 1006 ? (errored ? 'reset' : 'eof') : 'clean-close';
  });
  return {
    records: () => [record],
    stop() {
      stopped = true;
      ws.terminate();
      return [{ ...record }];
    },
  };
}
