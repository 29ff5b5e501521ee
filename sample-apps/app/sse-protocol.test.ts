import { describe, expect, test } from 'vitest';
import { createSseParser, firstEventIdAfter, formatSseEvent, formatSseRetry, parseSequenceId } from './sse-protocol.ts';

describe('SSE resume', () => {
  test('a new stream starts at 0', () => {
    expect(firstEventIdAfter(undefined)).toBe(0);
  });

  test('a reconnect resumes right after Last-Event-ID', () => {
    expect(firstEventIdAfter('41')).toBe(42);
    expect(firstEventIdAfter(' 7 ')).toBe(8);
    expect(firstEventIdAfter(['3', '9'])).toBe(4);
  });

  test.each(['', 'abc', '-1', '1e3', '9999999999999999999'])('an unusable Last-Event-ID %j starts over at 0', (header) => {
    expect(firstEventIdAfter(header)).toBe(0);
  });

  test.each(['', 'abc', '-1', '1e3', '2026-01-01T00:00:00Z', '9f86d081', '9999999999999999999', undefined])('%j is not a sequence id', (id) => {
    expect(parseSequenceId(id)).toBeUndefined();
  });
});

describe('SSE parser', () => {
  test('round-trips what the server formats, across arbitrary chunk boundaries', () => {
    const wire = formatSseEvent(5, '{"a":1}') + formatSseEvent(6, 'two') + formatSseRetry(1500);
    const parser = createSseParser();
    const events = [...wire].flatMap((char) => parser.push(char));
    expect(events).toEqual([
      { id: '5', data: '{"a":1}' },
      { id: '6', data: 'two' },
    ]);
    expect(parser.retryMs()).toBe(1500);
  });

  test('comments are skipped, multi-line data is joined, CRLF is accepted', () => {
    const parser = createSseParser();
    expect(parser.push(': keep-alive\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([{ id: undefined, data: 'a\nb' }]);
  });

  test('an unfinished event is not emitted', () => {
    const parser = createSseParser();
    expect(parser.push('id: 1\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', data: 'x' }]);
  });

  test('no retry hint before one is sent', () => {
    const parser = createSseParser();
    parser.push(formatSseEvent(1, 'x'));
    expect(parser.retryMs()).toBeUndefined();
    expect(parser.retryAfterLastEvent()).toBe(false);
  });

  test('a retry hint is a goodbye only when no event follows it', () => {
    const goodbye = createSseParser();
    goodbye.push(formatSseEvent(1, 'x') + formatSseRetry(1000));
    expect(goodbye.retryAfterLastEvent()).toBe(true);
    const setting = createSseParser();
    setting.push(formatSseRetry(3000) + formatSseEvent(1, 'x'));
    expect(setting.retryMs()).toBe(3000);
    expect(setting.retryAfterLastEvent()).toBe(false);
  });
});
