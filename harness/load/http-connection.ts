// One HTTP/1.1 client connection over a raw socket: requests one at a time (no pipelining), responses parsed
// just enough to account for them (status, framing by Content-Length / chunked / close, the pod header, the start
// of the body when the status is one the caller wants evidence of). Cheaper than node:http's client, and every way
// a request can end is explicit:
//   connect refused → ECONNREFUSED; RST before any response byte → ECONNRESET; a write on a closed socket → EPIPE;
//   a clean close (FIN) with the request unanswered → SOCKET_CLOSED (the keep-alive race); a response cut short
//   after its first byte → TRUNCATED; no byte for `timeoutMs` → TIMEOUT.
import { connect, type LookupFunction, type Socket } from 'node:net';
import type { RequestErrorCode } from '../model/run-data.ts';

export interface ExchangeResult {
  status?: number;
  bytes: number;
  pod?: string;
  errorCode?: RequestErrorCode;
  errorDetail?: string;
  /** The first BODY_PREFIX_BYTES of the body (latin1), only for statuses `keepsBodyPrefixOf` selects. */
  bodyPrefix?: string;
}

export interface ConnectionOptions {
  /** Default 127.0.0.1; the load checks any other host first (target-host.ts). */
  host?: string;
  /** How `host` is resolved (default: DNS on every connect). */
  lookup?: LookupFunction;
  /** Response header naming the pod that answered. */
  podHeader?: string;
  /** Statuses whose body start is kept as evidence (e.g. the failing ones); others cost nothing extra. */
  keepsBodyPrefixOf?: (status: number) => boolean;
}

export const BODY_PREFIX_BYTES = 200;

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

type BodyFraming = { kind: 'length'; remaining: number } | { kind: 'chunked'; chunkRemaining: number; trailer: boolean } | { kind: 'close' } | { kind: 'none' };

interface Pending {
  result: ExchangeResult;
  /** A response byte arrived: a failure from here on is a truncated response, not an unanswered request. */
  responded: boolean;
  head?: { status: number; closeAfter: boolean; framing: BodyFraming };
  resolve(result: ExchangeResult): void;
}

export class HttpConnection {
  /** True once a response completed on this socket: the next request goes out on a reused connection. */
  used = false;
  /** Closed by either side, or failed: open a new connection. */
  closed = false;
  /** When the peer closed this pooled connection while no request was on it (an unannounced idle close). */
  idleClosedByPeerAtMs: number | undefined;
  /** The pod that last answered here (set by the caller from the response header). */
  lastPod: string | undefined;
  #closedByUs = false;
  readonly #socket: Socket;
  readonly #podHeader: string;
  readonly #keepsBodyPrefixOf: ((status: number) => boolean) | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;

  constructor(port: number, timeoutMs: number, options: ConnectionOptions = {}) {
    this.#podHeader = `\r\n${(options.podHeader ?? 'x-drainspec-pod').toLowerCase()}:`;
    this.#keepsBodyPrefixOf = options.keepsBodyPrefixOf;
    this.#socket = connect({ host: options.host ?? '127.0.0.1', port, noDelay: true, ...(options.lookup ? { lookup: options.lookup } : {}) });
    this.#socket.setTimeout(timeoutMs, () => this.#fail('TIMEOUT', `no response within ${timeoutMs} ms`));
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (error: NodeJS.ErrnoException) => this.#onError(error));
    this.#socket.on('end', () => this.#onClose());
    this.#socket.on('close', () => this.#onClose());
  }

  /** Sends one request (head and body) and resolves when it has ended, whichever way. */
  exchange(request: Buffer): Promise<ExchangeResult> {
    if (this.#pending) throw new Error('HttpConnection carries one request at a time');
    return new Promise((resolve) => {
      this.#pending = { result: { bytes: 0 }, responded: false, resolve };
      if (this.closed) {
        this.#fail('SOCKET_CLOSED', 'connection closed by peer before the request was sent');
        return;
      }
      this.#socket.write(request);
    });
  }

  destroy(): void {
    this.#closedByUs = true;
    this.closed = true;
    this.#socket.destroy();
  }

  /** The peer ended a connection that had carried a response and had no request on it now. */
  #noteIdleClose(): void {
    if (!this.#pending && !this.#closedByUs && this.used) this.idleClosedByPeerAtMs ??= Date.now();
  }

  #settle(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    pending.resolve(pending.result);
  }

  #fail(code: RequestErrorCode, detail: string): void {
    const pending = this.#pending;
    this.#closedByUs = true;
    this.closed = true;
    this.#socket.destroy();
    if (!pending) return;
    pending.result.errorCode = pending.responded && code !== 'TIMEOUT' ? 'TRUNCATED' : code;
    pending.result.errorDetail = detail;
    this.#settle();
  }

  #onError(error: NodeJS.ErrnoException): void {
    this.#noteIdleClose();
    const code = error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EPIPE' ? error.code : 'OTHER';
    this.#fail(code, `${error.code ?? ''} ${error.message}`.trim());
  }

  #onClose(): void {
    this.#noteIdleClose();
    this.closed = true;
    const pending = this.#pending;
    if (!pending) return;
    // A body framed by the connection's end is complete exactly when the peer closes.
    if (pending.head?.framing.kind === 'close') {
      this.used = true;
      this.#settle();
      return;
    }
    this.#fail('SOCKET_CLOSED', pending.head ? 'connection closed mid-body' : pending.responded ? 'connection closed mid-head' : 'socket hang up: closed by peer with the request unanswered');
  }

  #onData(chunk: Buffer): void {
    const pending = this.#pending;
    if (!pending) return; // bytes with no request outstanding: ignored (the next exchange starts clean)
    pending.responded = true;
    this.#buffer = this.#buffer.length > 0 ? Buffer.concat([this.#buffer, chunk]) : chunk;
    if (!pending.head && !this.#parseHead(pending)) return;
    this.#consumeBody(pending);
  }

  #parseHead(pending: Pending): boolean {
    const end = this.#buffer.indexOf(CRLF2);
    if (end < 0) return false;
    const raw = this.#buffer.toString('latin1', 0, end + 2);
    const head = raw.toLowerCase(); // same length: names are matched lower-case, values read from `raw`
    this.#buffer = this.#buffer.subarray(end + 4);
    const status = Number(raw.slice(9, 12));
    pending.result.status = status;
    const header = (name: string): string | undefined => {
      const at = head.indexOf(name);
      return at < 0 ? undefined : raw.slice(at + name.length, head.indexOf('\r\n', at + name.length)).trim();
    };
    pending.result.pod = header(this.#podHeader);
    const closeAfter = header('\r\nconnection:')?.toLowerCase() === 'close';
    const length = header('\r\ncontent-length:');
    const chunked = header('\r\ntransfer-encoding:')?.toLowerCase().includes('chunked') === true;
    const framing: BodyFraming = status === 204 || status === 304 || (status >= 100 && status < 200) ? { kind: 'none' }
      : chunked ? { kind: 'chunked', chunkRemaining: -1, trailer: false }
        : length !== undefined ? { kind: 'length', remaining: Number(length) }
          : { kind: 'close' };
    if (this.#keepsBodyPrefixOf?.(status) === true) pending.result.bodyPrefix = '';
    pending.head = { status, closeAfter, framing };
    return true;
  }

  #consumeBody(pending: Pending): void {
    const head = pending.head as NonNullable<Pending['head']>;
    const framing = head.framing;
    let complete = false;
    if (framing.kind === 'none') complete = true;
    else if (framing.kind === 'close') {
      this.#keepPrefix(pending, this.#buffer.length);
      pending.result.bytes += this.#buffer.length;
      this.#buffer = Buffer.alloc(0);
    } else if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, this.#buffer.length);
      this.#keepPrefix(pending, take);
      pending.result.bytes += take;
      framing.remaining -= take;
      this.#buffer = this.#buffer.subarray(take);
      complete = framing.remaining === 0;
    } else {
      complete = this.#consumeChunks(pending, framing);
    }
    if (!complete) return;
    this.used = true;
    this.#buffer = Buffer.alloc(0);
    if (head.closeAfter) this.destroy();
    this.#settle();
  }

  /** Appends the first `length` buffered body bytes to the kept prefix, while one is wanted and not yet full. */
  #keepPrefix(pending: Pending, length: number): void {
    const prefix = pending.result.bodyPrefix;
    if (prefix === undefined || prefix.length >= BODY_PREFIX_BYTES || length <= 0) return;
    pending.result.bodyPrefix = prefix + this.#buffer.toString('latin1', 0, Math.min(length, BODY_PREFIX_BYTES - prefix.length));
  }

  /** Chunked transfer coding: `size\r\n data\r\n` … `0\r\n (trailers) \r\n`. */
  #consumeChunks(pending: Pending, framing: Extract<BodyFraming, { kind: 'chunked' }>): boolean {
    for (;;) {
      if (framing.trailer) {
        const end = this.#buffer.indexOf(CRLF);
        if (end < 0) return false;
        this.#buffer = this.#buffer.subarray(end + 2);
        if (end === 0) return true; // the empty line after the last chunk (and any trailers)
        continue;
      }
      if (framing.chunkRemaining < 0) {
        const end = this.#buffer.indexOf(CRLF);
        if (end < 0) return false;
        const size = parseInt(this.#buffer.toString('latin1', 0, end), 16);
        this.#buffer = this.#buffer.subarray(end + 2);
        if (!Number.isFinite(size)) {
          this.#fail('OTHER', 'malformed chunk size');
          return false;
        }
        if (size === 0) {
          framing.trailer = true;
          continue;
        }
        framing.chunkRemaining = size + 2; // data plus its CRLF
      }
      const take = Math.min(framing.chunkRemaining, this.#buffer.length);
      if (take === 0) return false;
      const data = Math.min(take, Math.max(0, framing.chunkRemaining - 2));
      this.#keepPrefix(pending, data);
      pending.result.bytes += data;
      framing.chunkRemaining -= take;
      this.#buffer = this.#buffer.subarray(take);
      if (framing.chunkRemaining === 0) framing.chunkRemaining = -1;
      else return false;
    }
  }
}
