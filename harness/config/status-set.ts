// --ok-status: which HTTP statuses count as ok, as ranges (`200-399`, `200,204,301-308`) for the load's okStatus.
import type { StatusRange } from '../load/request-policy.ts';

/** Parses the flag's text; one line naming --ok-status on any problem. */
export function parseStatusSet(text: string): StatusRange[] {
  const ranges = text.split(',').map((part) => part.trim()).filter(Boolean).map((part): StatusRange => {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const low = Number(match?.[1]);
    const high = Number(match?.[2] ?? match?.[1]);
    if (!match || low < 100 || high > 599 || low > high) throw new Error(`--ok-status "${text}": "${part}" is not a status or range of statuses (100-599), e.g. 200-399 or 200,204`);
    return [low, high];
  });
  if (ranges.length === 0) throw new Error('--ok-status is empty: give statuses or ranges, e.g. 200-399');
  return ranges;
}
