// A streaming GET on the API server (watches, log follows) over node:http(s), so that it has a start deadline, an
// optional idle watchdog and ends with a signal — and stopping it is an ordinary, handled event.
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiDeadlineError } from './client.ts';

export interface LineStreamOptions {
  /** Until the response headers arrive. */
  startTimeoutMs: number;
  /** Ends the stream (onEnd with an error) when no byte arrives for this long; absent = no watchdog. */
  idleTimeoutMs?: number;
  /** Aborts the start, or stops the stream once started (then onEnd is not called). */
  signal?: AbortSignal;
}

export interface LineStream {
  stop(): void;
}

/** A non-200 answer, shaped like client-node's ApiException (numeric `code`, `body`) for apiErrorReason. */
export class StreamStatusError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(what: string, code: number, body: string) {
    super(`${what}: HTTP ${code}`);
    this.code = code;
    this.body = body;
  }
}

/**
 * GETs `pathAndQuery` and calls `onLine` for each complete line. Resolves once the server answered 200; rejects on
 * any other status, a network error, the start deadline or an abort. `onEnd` is called once when a started stream
 * ends or fails, never after stop() or an abort.
 */
export async function openLineStream(config: KubeConfig, pathAndQuery: string, onLine: (line: string) => void, onEnd: (error?: Error) => void, options: LineStreamOptions): Promise<LineStream> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig context ${config.getCurrentContext()} has no cluster`);
  options.signal?.throwIfAborted();
  const url = new URL(`${cluster.server.replace(/\/$/, '')}${pathAndQuery}`);
  const what = `GET ${url.pathname}`;
  const requestOptions: RequestOptions = {};
  await config.applyToHTTPSOptions(requestOptions);
  options.signal?.throwIfAborted();

  return new Promise<LineStream>((resolve, reject) => {
    let started = false;
    let finished = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const startTimer = setTimeout(() => fail(new ApiDeadlineError(what, options.startTimeoutMs)), options.startTimeoutMs);
    const onAbort = () => fail(options.signal?.reason as Error, true);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { ...requestOptions, method: 'GET' }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { if (body.length < 4_096) body += chunk; });
        response.on('end', () => fail(new StreamStatusError(what, response.statusCode ?? 0, body)));
        response.on('error', (error) => fail(error));
        return;
      }
      started = true;
      clearTimeout(startTimer);
      const resetIdle = () => {
        if (options.idleTimeoutMs === undefined) return;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => fail(new ApiDeadlineError(`${what} (idle)`, options.idleTimeoutMs as number)), options.idleTimeoutMs);
      };
      resetIdle();
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        resetIdle();
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (!finished) onLine(line);
      });
      response.on('end', () => fail());
      response.on('error', (error) => fail(error));
      resolve({ stop: () => fail(undefined, true) });
    });
    request.on('error', (error) => fail(error));
    request.end();

    /** Ends everything once: before the start it rejects; after, it reports to onEnd unless stopped. */
    function fail(error?: Error, stopped = false) {
      if (finished) return;
      finished = true;
      clearTimeout(startTimer);
      clearTimeout(idleTimer);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      if (!started) reject(error ?? new Error(`${what}: the server closed the stream before answering`));
      else if (!stopped) onEnd(error);
    }
  });
}
