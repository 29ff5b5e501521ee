// One JSON line per lifecycle event on stdout: `{"event":"sigterm","atMs":1700000000000,"pod":"web-1"}`.
export const LIFECYCLE_EVENT_NAMES = ['started', 'ready', 'sigterm', 'readiness-off', 'listener-closed', 'idle-closed', 'streams-closed', 'drained', 'exit'] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENT_NAMES)[number];

export type LifecycleLog = (event: LifecycleEventName, extra?: { code?: number }) => void;

/** Builds the logger; `write` must be synchronous enough to survive process.exit (stdout to a pipe/file is). */
export function createLifecycleLog(pod: string, write: (line: string) => void = (line) => process.stdout.write(line), now: () => number = Date.now): LifecycleLog {
  return (event, extra) => {
    write(`${JSON.stringify({ event, atMs: now(), pod, ...extra })}\n`);
  };
}
