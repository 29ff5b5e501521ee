// Long-lived stream clients that record how each stream ended: SSE (with Last-Event-ID resume) and WebSocket.
// A stream that never opened, went silent, or lost events says so; analysis/streams.ts judges the record.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { StreamRecord } from '../model/run-data.ts';
import { createSseParser } from '../../sample-apps/app/sse-protocol.ts';
import { createContinuityTracker } from './event-continuity.ts';
import { describeSilence, Heartbeat, type IdlePolicy } from './stream-idle.ts';

/** The app's long-lived endpoints: the sample app's, or a user's from --sse-path / --ws-path / --slow-path. */
export interface LongLivedPaths {
  ssePath: string;
  wsPath: string;
  /** A request that takes a while to answer: the slow profile keeps these in flight across the rollout. */
  slowPath: string;
}

export const SAMPLE_APP_SSE_PATH = '/events';
export const SAMPLE_APP_WS_PATH = '/ws';

export function sampleAppPaths(slowRequestMs: number): LongLivedPaths {
  return { ssePath: SAMPLE_APP_SSE_PATH, wsPath: SAMPLE_APP_WS_PATH, slowPath: `/slow?ms=${slowRequestMs}` };
}

/** Throws a one-line error unless `path` is an origin-relative path (so it cannot redirect the client off loopback). */
export function checkEndpointPath(flag: string, path: string): void {
  if (!path.startsWith('/') || path.startsWith('//') || /[\s#]/.test(path)) throw new Error(`${flag} "${path}" must be a path on the app, starting with one / (e.g. /events)`);
}

export interface StreamClient {
  /** One record per connection, in order; the last may still be open. */
  records(): readonly StreamRecord[];
  /** Closes whatever is open (recorded as `open`) and stops reconnecting. */
  stop(): StreamRecord[];
}

export interface SseOptions extends IdlePolicy {
  /** Default: the sample app's `/events`. */
  path?: string;
  maxReconnects: number;
  maxRetryWaitMs: number;
}

export interface WebSocketOptions extends IdlePolicy {
  /** Default: the sample app's `/ws`. */
  path?: string;
}

function streamUrl(baseUrl: string, flag: string, path: string): URL {
  checkEndpointPath(flag, path);
  const url = new URL(path, baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`stream clients target 127.0.0.1 only, got ${url.hostname}`);
  return url;
}

const newRecord = (kind: StreamRecord['kind'], seq: number): StreamRecord => ({ kind, seq, openedAtMs: Date.now(), end: 'open', messages: 0, lostEvents: 0, duplicatedEvents: 0 });
const errorText = (error: Error & { code?: string }): string => error.code ?? error.message;

/** Why an HTTP answer is not an event stream (HTML §9.2.3: 200 and text/event-stream, else the connection fails). */
function notAnEventStream(res: IncomingMessage): string | undefined {
  const type = res.headers['content-type'] ?? '';
  if (res.statusCode !== 200) return `status ${res.statusCode}`;
  return type.split(';')[0]!.trim().toLowerCase() === 'text/event-stream' ? undefined : `status 200 with content-type ${type || 'none'}`;
}

/**
 * SSE client that reconnects (at most `maxReconnects` times) after the server's goodbye — a `retry:` hint after its
 * last event — resuming from the last id. Any other end (EOF, reset, silence, refusal) ends the client.
 */
export function openSse(baseUrl: string, options: SseOptions): StreamClient {
  const url = streamUrl(baseUrl, '--sse-path', options.path ?? SAMPLE_APP_SSE_PATH);
  const heartbeat = new Heartbeat(options);
  const continuity = createContinuityTracker();
  const records: StreamRecord[] = [];
  let current: ClientRequest | undefined;
  let stopWatch = (): void => undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let stopped = false;

  const judgeContinuity = (): void => {
    const { continuity: verdict, connections } = continuity.judge();
    records.forEach((record, i) => Object.assign(record, { eventContinuity: verdict }, connections[i]));
  };

  const connect = (): void => {
    if (stopped) return;
    const record = newRecord('sse', records.length);
    const previous = records.at(-1);
    if (previous?.endedAtMs !== undefined) previous.reconnectGapMs = record.openedAtMs - previous.endedAtMs;
    records.push(record);
    const lastEventId = continuity.connectionStarted();
    judgeContinuity();
    const parser = createSseParser();
    let opened = false;
    const finish = (end: StreamRecord['end'], detail?: string): void => {
      if (record.end !== 'open' || stopped) return;
      watch.stop();
      Object.assign(record, { end, endedAtMs: Date.now(), retryHintMs: parser.retryMs() }, detail === undefined ? {} : { detail });
      request.destroy();
      const retryMs = parser.retryMs();
      if (end === 'clean-close' && retryMs !== undefined && records.length <= options.maxReconnects) reconnect = setTimeout(connect, Math.min(retryMs, options.maxRetryWaitMs));
    };
    const watch = heartbeat.watch((silence) => finish(silence.opened ? 'timeout' : 'never-opened', describeSilence(silence)));
    stopWatch = watch.stop;
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const request = httpRequest(url, { agent: false, headers }, (res) => {
      record.pod = res.headers['x-drainspec-pod'] as string | undefined;
      const refusal = notAnEventStream(res);
      if (refusal !== undefined) {
        res.resume();
        finish('never-opened', refusal);
        return;
      }
      opened = true;
      watch.opened();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        watch.activity();
        const events = parser.push(chunk);
        for (const event of events) continuity.eventReceived(event.id);
        record.messages += events.length;
        if (events.length > 0) judgeContinuity();
      });
      // Ended right after a retry hint: closed on purpose. A hint sent earlier (a setting at open) is no goodbye.
      res.on('end', () => {
        const retryMs = parser.retryMs();
        if (parser.retryAfterLastEvent()) finish('clean-close');
        else finish('eof', retryMs === undefined ? undefined : `its retry: ${retryMs} came before the last event`);
      });
      res.on('error', (error) => finish('reset', errorText(error)));
    });
    current = request;
    request.on('error', (error) => finish(opened ? 'reset' : 'never-opened', errorText(error)));
    request.end();
  };
  connect();

  return {
    records: () => records,
    stop() {
      stopped = true;
      clearTimeout(reconnect);
      stopWatch();
      current?.destroy();
      return records.map((r) => ({ ...r }));
    },
  };
}

/** WebSocket client: one connection, recording messages, the close code (1006 = no close frame) and silence. */
export function openWebSocket(baseUrl: string, options: WebSocketOptions = {}): StreamClient {
  const url = streamUrl(baseUrl.replace(/^http/, 'ws'), '--ws-path', options.path ?? SAMPLE_APP_WS_PATH);
  const record = newRecord('websocket', 0);
  const ws = new WebSocket(url);
  let stopped = false;
  let opened = false;
  let lastError: string | undefined;
  const finish = (end: StreamRecord['end'], detail?: string, closeCode?: number): void => {
    if (record.end !== 'open' || stopped) return;
    watch.stop();
    Object.assign(record, { end, endedAtMs: Date.now() }, detail === undefined ? {} : { detail }, closeCode === undefined ? {} : { closeCode });
    ws.terminate();
  };
  const watch = new Heartbeat(options).watch((silence) => finish(silence.opened ? 'timeout' : 'never-opened', describeSilence(silence)));

  ws.on('upgrade', (res) => {
    record.pod = res.headers['x-drainspec-pod'] as string | undefined;
    // ws swallows socket errors once open; listening on the socket tells a reset from a bare FIN.
    res.socket.on('error', (error) => (lastError = errorText(error)));
  });
  ws.on('unexpected-response', (_req, res) => {
    record.pod = res.headers['x-drainspec-pod'] as string | undefined;
    res.resume();
    finish('never-opened', `status ${res.statusCode}`);
  });
  ws.on('open', () => {
    opened = true;
    watch.opened();
  });
  ws.on('message', (data) => {
    watch.activity();
    record.messages += 1;
    record.pod ??= podOf(String(data));
  });
  ws.on('ping', () => watch.activity());
  ws.on('pong', () => watch.activity());
  ws.on('error', (error) => (lastError = errorText(error)));
  ws.on('close', (code, reason) => {
    if (!opened) finish('never-opened', lastError ?? `closed with ${code} before opening`);
    else if (code === 1006) finish(lastError === undefined ? 'eof' : 'reset', lastError);
    else finish('clean-close', reason.length > 0 ? `reason: ${reason.toString('utf8').slice(0, 120)}` : undefined, code);
  });
  return {
    records: () => [record],
    stop() {
      stopped = true;
      watch.stop();
      ws.terminate();
      return [{ ...record }];
    },
  };
}

/** The sample app's ticks name their pod; a user's messages need not be JSON. */
function podOf(message: string): string | undefined {
  try {
    const pod = (JSON.parse(message) as { pod?: unknown } | null)?.pod;
    return typeof pod === 'string' ? pod : undefined;
  } catch {
    return undefined;
  }
}
