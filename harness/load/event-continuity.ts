// Whether an SSE client can count lost and repeated events from the ids it received, and how many (pure).
// Losses are countable only when ids are a per-stream sequence: each id is the previous + 1 within a connection, and
// a resumed connection should start at Last-Event-ID + 1. Random ids, timestamps or no ids give 'unknown', not "0 lost".
import type { EventContinuity } from '../model/run-data.ts';
import { parseSequenceId } from '../../sample-apps/app/sse-protocol.ts';

export interface ResumeCount {
  lostEvents: number;
  duplicatedEvents: number;
}

export interface ContinuityJudgement {
  continuity: EventContinuity;
  /** Per connection, in order: what its resume point skipped or repeated (zeros unless 'checked'). */
  connections: ResumeCount[];
}

export interface ContinuityTracker {
  /** A new connection begins; returns the Last-Event-ID to send (the last id received, verbatim), if any. */
  connectionStarted(): string | undefined;
  /** An event arrived on the latest connection, with its `id:` field if it had one. */
  eventReceived(id: string | undefined): void;
  judge(): ContinuityJudgement;
}

interface Connection {
  /** The Last-Event-ID this connection resumed from, when it was a sequence id. */
  resumedFrom?: number;
  firstId?: number;
  lastId?: number;
}

export function createContinuityTracker(): ContinuityTracker {
  const connections: Connection[] = [];
  let lastEventId: string | undefined;
  let everyIdNumeric = true;
  let everyStepOne = true;
  // A +1 step seen within a connection or across a resume: without one, a sequence cannot be told from chance.
  let sequenceSteps = 0;

  return {
    connectionStarted() {
      connections.push({ resumedFrom: parseSequenceId(lastEventId) });
      return lastEventId === '' ? undefined : lastEventId;
    },
    eventReceived(id) {
      const connection = connections.at(-1);
      if (!connection) throw new Error('eventReceived before connectionStarted');
      // An event without an id keeps the previous one as Last-Event-ID (HTML §9.2.6), but it is not numbered.
      if (id !== undefined) lastEventId = id;
      const n = parseSequenceId(id);
      if (n === undefined) {
        everyIdNumeric = false;
        return;
      }
      if (connection.lastId !== undefined) {
        if (n === connection.lastId + 1) sequenceSteps += 1;
        else everyStepOne = false;
      } else {
        connection.firstId = n;
        if (connection.resumedFrom !== undefined && n === connection.resumedFrom + 1) sequenceSteps += 1;
      }
      connection.lastId = n;
    },
    judge() {
      const checked = everyIdNumeric && everyStepOne && sequenceSteps > 0;
      return {
        continuity: checked ? 'checked' : 'unknown',
        connections: connections.map(({ resumedFrom, firstId }) => {
          if (!checked || resumedFrom === undefined || firstId === undefined) return { lostEvents: 0, duplicatedEvents: 0 };
          const skipped = firstId - (resumedFrom + 1);
          return { lostEvents: Math.max(0, skipped), duplicatedEvents: Math.max(0, -skipped) };
        }),
      };
    },
  };
}
