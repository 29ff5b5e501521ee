// A watch that resumes from its last resourceVersion when the stream breaks, and re-lists on 410 Gone.
import { Watch, type KubeConfig } from '@kubernetes/client-node';

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

export function resumableWatch<T extends { metadata?: { resourceVersion?: string } }>(
  config: KubeConfig,
  path: string,
  list: () => Promise<ListResult<T>>,
  onEvent: (type: WatchEventType, object: T) => void,
): WatchHandle {
  const watch = new Watch(config);
  let stopped = false;
  let resourceVersion = '';
  let reconnects = 0;
  let abort: AbortController | undefined;

  const relist = async () => {
    const result = await list();
    for (const item of result.items) onEvent('ADDED', item);
    resourceVersion = result.metadata?.resourceVersion ?? '';
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (!resourceVersion) await relist();
      abort = await watch.watch(path, { resourceVersion, allowWatchBookmarks: true }, (type, object: T & { code?: number }) => {
        if (type === 'BOOKMARK') {
          resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
          return;
        }
        if (type === 'ERROR') {
          if (object.code === 410) resourceVersion = '';
          return;
        }
        resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
        onEvent(type as WatchEventType, object);
      }, () => {
        if (stopped) return;
        reconnects += 1;
        setTimeout(() => void connect(), 200);
      });
    } catch {
      if (stopped) return;
      reconnects += 1;
      resourceVersion = '';
      setTimeout(() => void connect(), 500);
    }
  };
  void connect();
  return {
    stop() {
      stopped = true;
      abort?.abort();
    },
    get reconnects() {
      return reconnects;
    },
  };
}
