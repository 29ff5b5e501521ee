// A watch that resumes from its last resourceVersion when the stream breaks or goes silent, and re-lists on
// 410 Gone. Its start has a deadline, its silence a watchdog, and it ends with the clients' signal (Ctrl-C).
import type { KubeClients } from './client.ts';
import { openLineStream, type LineStream } from './api-stream.ts';
import { API_TIMEOUTS } from './timeouts.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchHandle {
  stop(): void;
  /** Connection events for the timeline: connects and errors. */
  readonly reconnects: number;
}

interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

interface WatchLine<T> {
  type?: string;
  object?: T & { code?: number };
}

export function resumableWatch<T extends { metadata?: { resourceVersion?: string } }>(
  clients: KubeClients,
  path: string,
  list: () => Promise<ListResult<T>>,
  onEvent: (type: WatchEventType, object: T) => void,
  /** The same selector as `list` uses: the watch must see no more than the list did. */
  labelSelector?: string,
): WatchHandle {
  const stopper = new AbortController();
  const signal = clients.signal ? AbortSignal.any([clients.signal, stopper.signal]) : stopper.signal;
  let resourceVersion = '';
  let reconnects = 0;
  let stream: LineStream | undefined;

  const relist = async () => {
    const result = await list();
    for (const item of result.items) onEvent('ADDED', item);
    resourceVersion = result.metadata?.resourceVersion ?? '';
  };

  const onLine = (line: string) => {
    let event: WatchLine<T>;
    try {
      event = JSON.parse(line) as WatchLine<T>;
    } catch {
      return;
    }
    const object = event.object;
    if (!object) return;
    if (event.type === 'BOOKMARK') {
      resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
      return;
    }
    if (event.type === 'ERROR') {
      if (object.code === 410) resourceVersion = '';
      return;
    }
    resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
    onEvent(event.type as WatchEventType, object);
  };

  const retryAfter = (delayMs: number) => {
    if (signal.aborted) return;
    reconnects += 1;
    setTimeout(() => void connect(), delayMs);
  };

  const connect = async (): Promise<void> => {
    if (signal.aborted) return;
    try {
      if (!resourceVersion) await relist();
      const query = new URLSearchParams({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion, ...(labelSelector ? { labelSelector } : {}) });
      stream = await openLineStream(clients.config, `${path}?${query}`, onLine, () => retryAfter(200), {
        startTimeoutMs: API_TIMEOUTS.streamStartMs, idleTimeoutMs: API_TIMEOUTS.watchIdleMs, signal,
      });
    } catch {
      resourceVersion = '';
      retryAfter(500);
    }
  };
  void connect();
  return {
    stop() {
      stopper.abort();
      stream?.stop();
    },
    get reconnects() {
      return reconnects;
    },
  };
}
