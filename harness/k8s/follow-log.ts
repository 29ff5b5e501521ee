// Follows one container's log over the API (a line stream: start deadline, ends with the signal), so that stopping
// it (or the stream breaking) is an ordinary, handled event — client-node's Log leaves an unhandled AbortError
// behind when aborted.
import type { KubeConfig } from '@kubernetes/client-node';
import { openLineStream } from './api-stream.ts';
import { API_TIMEOUTS } from './timeouts.ts';

export interface LogFollower {
  stop(): void;
}

/** Calls `onLine` for each complete line; `onEnd` once when the stream ends or fails (not after stop()). */
export async function followLog(config: KubeConfig, namespace: string, pod: string, container: string, onLine: (line: string) => void, onEnd: (error?: Error) => void, signal?: AbortSignal): Promise<LogFollower> {
  const query = new URLSearchParams({ container, follow: 'true' });
  // No idle watchdog: an app may print nothing for minutes.
  return openLineStream(config, `/api/v1/namespaces/${namespace}/pods/${pod}/log?${query}`, onLine, onEnd, { startTimeoutMs: API_TIMEOUTS.streamStartMs, signal });
}
