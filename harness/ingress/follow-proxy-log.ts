// Follows the Traefik pod's log and keeps every access log entry, on the harness clock.
import type { KubeClients } from '../k8s/client.ts';
import { followLog } from '../k8s/follow-log.ts';
import { waitFor } from '../k8s/wait.ts';
import { parseAccessLogLine, type ProxyAccess } from './access-log.ts';
import { TRAEFIK_CONTAINER } from './traefik-objects.ts';

export interface ProxyLogOptions {
  /** The API server's clock minus the harness's (k8s/clock-offset.ts); node and API clocks are taken as one. */
  clockOffsetMs?: number;
  /** Called for each entry as it is parsed. */
  onAccess?: (access: ProxyAccess) => void;
  signal?: AbortSignal;
}

export interface ProxyLog {
  /** Access log entries in log order, times on the harness clock. */
  entries: ProxyAccess[];
  /** Every line read, access log or not. */
  lines: number;
  /** The version Traefik printed at start-up, e.g. `v3.7.13`. */
  version?: string;
  /** Why the stream ended before stop(), if it did (the pod went away, the API dropped it). */
  endedEarly?: string;
}

export interface ProxyLogFollower {
  /** The log so far (live: grows while following). */
  readonly log: ProxyLog;
  /** Resolves once `done(entries)` holds; throws naming `what` after `timeoutMs`. */
  until(done: (entries: readonly ProxyAccess[]) => boolean, what: string, timeoutMs: number): Promise<void>;
  stop(): ProxyLog;
}

/** Follows `pod` (a Traefik pod of `namespace`) from its first line. */
export async function followProxyLog(clients: KubeClients, namespace: string, pod: string, options: ProxyLogOptions = {}): Promise<ProxyLogFollower> {
  const offsetMs = options.clockOffsetMs ?? 0;
  const log: ProxyLog = { entries: [], lines: 0 };
  const onLine = (line: string) => {
    log.lines++;
    const access = parseAccessLogLine(line);
    if (access) {
      const entry = { ...access, atMs: access.atMs - offsetMs };
      log.entries.push(entry);
      options.onAccess?.(entry);
    } else if (log.version === undefined) {
      log.version = startupVersion(line);
    }
  };
  const onEnd = (error?: Error) => {
    log.endedEarly = error?.message ?? 'the log stream ended';
  };
  const follower = await followLog(clients.config, namespace, pod, TRAEFIK_CONTAINER, onLine, onEnd, options.signal);
  return {
    log,
    async until(done, what, timeoutMs) {
      const outcome = await waitFor(async () => (done(log.entries) ? 'done' : log.endedEarly ? 'ended' : undefined), { what, timeoutMs, intervalMs: 50, signal: options.signal });
      if (outcome === 'ended') throw new Error(`the log of ${namespace}/${pod} ended before ${what}: ${log.endedEarly}`);
    },
    stop() {
      follower.stop();
      return log;
    },
  };
}

/** Traefik's first log line: `{"level":"info","version":"v3.7.13",…,"message":"Traefik version v3.7.13 built on …"}`. */
function startupVersion(line: string): string | undefined {
  if (!line.includes('"version"')) return undefined;
  try {
    const version = (JSON.parse(line) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
