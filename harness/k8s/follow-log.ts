// Follows one container's log over the API (a line stream: start deadline, ends with the signal), so that stopping
// it (or the stream breaking) is an ordinary, handled event — client-node's Log leaves an unhandled AbortError
// behind when aborted.
import type { KubeConfig } from '@kubernetes/client-node';
import { openLineStream } from './api-stream.ts';
import { API_TIMEOUTS } from './timeouts.ts';

export interface LogFollower {
  stop(): void;
}

export interface FollowLogOptions {
  /** Each line starts with the container runtime's RFC 3339 (nanosecond) timestamp and a space. */
  timestamps?: boolean;
  /** Only lines the runtime stamped at or after this RFC 3339 time (for resuming a broken stream). */
  sinceTime?: string;
  /** Ends the stream when nothing arrives for this long: only for a container known to print regularly. */
  idleTimeoutMs?: number;
}

/** Calls `onLine` for each complete line; `onEnd` once when the stream ends or fails (not after stop()). */
export async function followLog(config: KubeConfig, namespace: string, pod: string, container: string, onLine: (line: string) => void, onEnd: (error?: Error) => void, signal?: AbortSignal, options: FollowLogOptions = {}): Promise<LogFollower> {
  const query = new URLSearchParams({ container, follow: 'true' });
  if (options.timestamps) query.set('timestamps', 'true');
  if (options.sinceTime !== undefined) query.set('sinceTime', options.sinceTime);
  // No idle watchdog unless asked: an app may print nothing for minutes.
  return openLineStream(config, `/api/v1/namespaces/${namespace}/pods/${pod}/log?${query}`, onLine, onEnd, { startTimeoutMs: API_TIMEOUTS.streamStartMs, signal, ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }) });
}
