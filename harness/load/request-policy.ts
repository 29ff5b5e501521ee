// What the load sends and how it judges an outcome: request bytes per method, the ok-status set, and the retrying
// client model's rule for which failed attempts get a second one.
import type { RequestErrorCode, RequestRecord } from '../model/run-data.ts';
import { LOAD_DEFAULTS } from './defaults.ts';

export type HttpMethod = 'GET' | 'POST';
/** Inclusive status range, e.g. [200, 399]. */
export type StatusRange = readonly [low: number, high: number];
/** Which response statuses count as served (ok): a predicate, or inclusive ranges. */
export type OkStatus = ((status: number) => boolean) | readonly StatusRange[];

/** The ok-status test as a predicate; ranges become a lookup table (one array read per response). */
export function okStatusPredicate(okStatus: OkStatus = LOAD_DEFAULTS.okStatus): (status: number) => boolean {
  if (typeof okStatus === 'function') return okStatus;
  const table = new Uint8Array(1000);
  for (const [low, high] of okStatus) table.fill(1, Math.max(0, low), Math.min(table.length, high + 1));
  return (status) => table[status] === 1;
}

/** The request bytes for `path`: `Connection: close` for the fresh-connection population; POST carries a small JSON body. */
export function requestBytes(base: URL, request: { method: HttpMethod; path: string; close: boolean; host?: string }): Buffer {
  const target = new URL(request.path, base);
  const close = request.close ? 'Connection: close\r\n' : '';
  const line = `${request.method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${request.host ?? target.host}\r\n${close}`;
  if (request.method === 'GET') return Buffer.from(`${line}\r\n`, 'latin1');
  const body = LOAD_DEFAULTS.postBody;
  return Buffer.from(`${line}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'latin1');
}

const RETRIED_ERRORS: ReadonlySet<RequestErrorCode | undefined> = new Set(['SOCKET_CLOSED', 'ECONNRESET', 'EPIPE']);
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The retrying client model's rule (RFC 9112 §9.3.1): a GET/HEAD that failed on a reused keep-alive connection
 * before any response byte (the peer closed or reset it, or the write hit a closed socket) is retried once, on a
 * new connection. Never a fresh-connection failure, a response cut after its first byte, a timeout, a POST or a retry.
 */
export function retryable(record: RequestRecord): boolean {
  return record.outcome === 'failed' && record.reusedSocket && record.retryOf === undefined
    && IDEMPOTENT_METHODS.has(record.method ?? 'GET') && RETRIED_ERRORS.has(record.errorCode);
}
