// The `/slow` endpoint's timing rules, as pure functions.

/** Parses `?ms=`; undefined when absent, an error message when invalid. */
export function parseSlowMs(raw: string | null, defaultMs: number, maxMs: number): number | { error: string } {
  if (raw === null || raw === '') return defaultMs;
  if (!/^\d+$/.test(raw)) return { error: `ms must be a non-negative integer, got '${raw}'` };
  const ms = Number(raw);
  if (ms > maxMs) return { error: `ms must be ≤ ${maxMs}, got ${ms}` };
  return ms;
}

/**
 * When in-flight work may answer: its own end, or, once SIGTERM arrived before that end and the variant holds work,
 * no earlier than sigterm + hold (the `slow-drain` flaw).
 */
export function slowWorkDoneAtMs(startMs: number, workMs: number, sigtermAtMs: number | undefined, holdAfterSigtermMs: number): number {
  const ownEndMs = startMs + workMs;
  if (sigtermAtMs === undefined || holdAfterSigtermMs === 0 || sigtermAtMs > ownEndMs) return ownEndMs;
  return Math.max(ownEndMs, sigtermAtMs + holdAfterSigtermMs);
}
