// When a long-lived stream counts as silent (a bound from the stream's own heartbeat), and the watchdog that ends it.
import { performance } from 'node:perf_hooks';

export const STREAM_IDLE = {
  /** Silence of three heartbeats ends a stream: one late beat is jitter, three are an outage (as Kafka's session.timeout ≥ 3 × heartbeat.interval). */
  missedHeartbeats: 3,
  /** Never less: a healthy pod on a busy 2-core kind node stalls a few hundred ms; 2 s of nothing is no longer jitter. */
  floorMs: 2_000,
  /**
   * A user's stream with no stated heartbeat: a burst of messages at open makes the first intervals short, so they
   * only ever raise this bound (3 × the longest seen). 30 s covers the common 15 s keep-alive comment.
   */
  unstatedHeartbeatMs: 30_000,
  /** Response headers (or the WebSocket upgrade) get at least as long as a plain request's timeout. */
  responseMs: 5_000,
} as const;

export interface IdlePolicy {
  /** The app's stated heartbeat (the sample app's event interval; a user's `--stream-heartbeat-ms`). */
  heartbeatIntervalMs?: number;
  /** A fixed idle timeout instead of a derived one. */
  idleTimeoutMs?: number;
}

/** How long a stream may stay silent, and why, given its policy and the longest interval seen so far. */
export function idleTimeout(policy: IdlePolicy, longestIntervalMs: number | undefined): { ms: number; basis: string } {
  const { missedHeartbeats, floorMs, unstatedHeartbeatMs } = STREAM_IDLE;
  if (policy.idleTimeoutMs !== undefined) return { ms: policy.idleTimeoutMs, basis: 'as configured' };
  if (policy.heartbeatIntervalMs !== undefined) {
    return { ms: Math.max(missedHeartbeats * policy.heartbeatIntervalMs, floorMs), basis: `max(${missedHeartbeats} × heartbeat ${policy.heartbeatIntervalMs} ms, ${floorMs} ms)` };
  }
  const seen = missedHeartbeats * (longestIntervalMs ?? 0);
  return seen > unstatedHeartbeatMs
    ? { ms: seen, basis: `${missedHeartbeats} × longest interval seen, ${longestIntervalMs} ms` }
    : { ms: unstatedHeartbeatMs, basis: 'no heartbeat stated' };
}

export interface ConnectionWatch {
  /** The stream opened (response headers, WebSocket upgrade): silence counts from here, with the idle timeout. */
  opened(): void;
  /** Bytes arrived: a message, an SSE comment, a WebSocket ping or pong. */
  activity(): void;
  stop(): void;
}

export interface Silence {
  /** False: no response (headers or upgrade) arrived at all. */
  opened: boolean;
  silentMs: number;
  timeoutMs: number;
  basis: string;
}

/** One client's heartbeat, learned across its connections; each connection gets a watch. */
export class Heartbeat {
  readonly #policy: IdlePolicy;
  #longestIntervalMs: number | undefined;

  constructor(policy: IdlePolicy = {}) {
    this.#policy = policy;
  }

  /** Calls `onSilent` once when nothing has arrived within the timeout (before `opened()`: the response timeout). */
  watch(onSilent: (silence: Silence) => void): ConnectionWatch {
    let lastAt = performance.now();
    let open = false;
    let timer: NodeJS.Timeout | undefined;
    let check: NodeJS.Immediate | undefined;
    const limit = (): { ms: number; basis: string } => {
      const idle = idleTimeout(this.#policy, this.#longestIntervalMs);
      if (open || this.#policy.idleTimeoutMs !== undefined) return idle;
      return idle.ms >= STREAM_IDLE.responseMs ? idle : { ms: STREAM_IDLE.responseMs, basis: 'response timeout' };
    };
    const arm = (): void => {
      timer = setTimeout(() => {
        // setImmediate runs after the poll phase: bytes that arrived while this event loop was busy count first.
        check = setImmediate(() => {
          const silentMs = Math.round(performance.now() - lastAt);
          const { ms, basis } = limit();
          if (silentMs >= ms) onSilent({ opened: open, silentMs, timeoutMs: ms, basis });
          else arm();
        }).unref();
      }, Math.max(1, limit().ms - (performance.now() - lastAt))).unref();
    };
    arm();
    return {
      opened: () => {
        open = true;
        lastAt = performance.now();
        clearTimeout(timer);
        arm();
      },
      activity: () => {
        const now = performance.now();
        if (open) this.#longestIntervalMs = Math.max(this.#longestIntervalMs ?? 0, Math.round(now - lastAt));
        lastAt = now;
      },
      stop: () => {
        clearTimeout(timer);
        if (check) clearImmediate(check);
      },
    };
  }
}

/** One line for a record's detail. */
export function describeSilence(s: Silence): string {
  return s.opened ? `no data for ${s.silentMs} ms (idle timeout ${s.timeoutMs} ms: ${s.basis})` : `no response within ${s.timeoutMs} ms (${s.basis})`;
}
