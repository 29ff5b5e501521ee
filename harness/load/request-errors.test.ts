import { describe, expect, test } from 'vitest';
import { classifyRequestError } from './request-errors.ts';

const error = (code: string, message: string, syscall?: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code, syscall });

describe('request error classes', () => {
  test('a peer FIN with the request in flight ("socket hang up") is the keep-alive race, not a reset', () => {
    expect(classifyRequestError(error('ECONNRESET', 'socket hang up'), 'before-response')).toBe('SOCKET_CLOSED');
  });

  test('an RST is a reset, a refused connect is refused, a broken pipe is EPIPE', () => {
    expect(classifyRequestError(error('ECONNRESET', 'read ECONNRESET', 'read'), 'before-response')).toBe('ECONNRESET');
    expect(classifyRequestError(error('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'connect'), 'before-response')).toBe('ECONNREFUSED');
    expect(classifyRequestError(error('EPIPE', 'write EPIPE', 'write'), 'before-response')).toBe('EPIPE');
  });

  test('anything after the headers arrived is a truncated body; our own timeout stays a timeout', () => {
    expect(classifyRequestError(error('ECONNRESET', 'aborted'), 'during-body')).toBe('TRUNCATED');
    expect(classifyRequestError(error('TIMEOUT', 'no response within 5000 ms'), 'during-body')).toBe('TIMEOUT');
  });

  test('unknown codes are OTHER, never dropped', () => {
    expect(classifyRequestError(error('EHOSTUNREACH', 'unreachable'), 'before-response')).toBe('OTHER');
  });
});
