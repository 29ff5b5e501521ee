import { describe, expect, test } from 'vitest';
import { createContinuityTracker } from './event-continuity.ts';

/** Feeds connections of ids (one array per connection) and returns the judgement and the Last-Event-IDs sent. */
function feed(connections: (string | undefined)[][]) {
  const tracker = createContinuityTracker();
  const sent = connections.map((ids) => {
    const lastEventId = tracker.connectionStarted();
    for (const id of ids) tracker.eventReceived(id);
    return lastEventId;
  });
  return { ...tracker.judge(), sent };
}

describe('SSE event continuity', () => {
  test('a sequence resumed at Last-Event-ID + 1 is checked with nothing lost', () => {
    const { continuity, connections, sent } = feed([['0', '1', '2'], ['3', '4']]);
    expect(continuity).toBe('checked');
    expect(connections).toEqual([{ lostEvents: 0, duplicatedEvents: 0 }, { lostEvents: 0, duplicatedEvents: 0 }]);
    expect(sent).toEqual([undefined, '2']);
  });

  test('a resume that skips ids counts them as lost on the resumed connection', () => {
    expect(feed([['0', '1', '2'], ['6', '7']]).connections).toEqual([{ lostEvents: 0, duplicatedEvents: 0 }, { lostEvents: 3, duplicatedEvents: 0 }]);
  });

  test('a server that ignores Last-Event-ID and starts over repeats what the client had', () => {
    expect(feed([['0', '1', '2'], ['0', '1']])).toMatchObject({ continuity: 'checked', connections: [{ lostEvents: 0, duplicatedEvents: 0 }, { lostEvents: 0, duplicatedEvents: 3 }] });
  });

  test('a connection that received nothing is skipped: the next one resumes from the last id received', () => {
    const { connections, sent } = feed([['0', '1'], [], ['5', '6']]);
    expect(sent).toEqual([undefined, '1', '1']);
    expect(connections[2]).toEqual({ lostEvents: 3, duplicatedEvents: 0 });
  });

  test.each([
    ['timestamps', [['1767225600000', '1767225600200'], ['1767225603000', '1767225603200']]],
    ['random ids', [['9f86d081', 'c4ca4238'], ['e4da3b7f']]],
    ['no ids', [[undefined, undefined], [undefined]]],
    ['sparse integers', [['10', '20', '30'], ['50', '60']]],
  ])('%s cannot be counted: unknown, never "0 lost"', (_name, ids) => {
    const { continuity, connections } = feed(ids);
    expect(continuity).toBe('unknown');
    expect(connections.every((c) => c.lostEvents === 0 && c.duplicatedEvents === 0)).toBe(true);
  });

  test('one stray non-numeric id makes the whole stream unknown, even after a loss was seen', () => {
    expect(feed([['0', '1'], ['5', 'x']])).toMatchObject({ continuity: 'unknown', connections: [{ lostEvents: 0 }, { lostEvents: 0 }] });
  });

  test('a single event per connection shows no step: unknown', () => {
    expect(feed([['7'], ['20']]).continuity).toBe('unknown');
  });

  test('a resume step alone is evidence of a sequence', () => {
    expect(feed([['7'], ['8']]).continuity).toBe('checked');
  });

  test('an event without an id keeps the previous id as Last-Event-ID; an empty id clears it', () => {
    expect(feed([['4', undefined], []]).sent).toEqual([undefined, '4']);
    expect(feed([['4', ''], []]).sent).toEqual([undefined, undefined]);
  });
});
