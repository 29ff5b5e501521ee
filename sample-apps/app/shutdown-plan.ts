// What each variant does on SIGTERM, as data: the runner (shutdown.ts) only follows the plan.
import type { AppConfig, Variant } from './config.ts';

export interface ShutdownPlan {
  /** false = no SIGTERM handler at all (as PID 1 the kernel then ignores SIGTERM until SIGKILL). */
  handlesSigterm: boolean;
  /** process.exit at once, in-flight work and streams cut. */
  exitImmediately: boolean;
  /** Keep serving this long after SIGTERM before closing the listener. */
  drainDelayMs: number;
  /** Close idle keep-alive sockets this long after SIGTERM (≥ drainDelayMs); until then pooled connections are still answered. */
  idleCloseAfterMs: number;
  /** Send `Connection: close` on every response after SIGTERM, so clients drop pooled sockets first. */
  advertiseConnectionClose: boolean;
  /** End SSE streams with a `retry:` hint and WebSockets with 1001 after the listener closes. */
  closeStreamsPolitely: boolean;
  /** Hold in-flight /slow work until this long after SIGTERM (0 = work ends when it would anyway). */
  holdInFlightWorkAfterSigtermMs: number;
  /** From SIGTERM, give up waiting for connections and exit 1 (undefined = wait forever). */
  forceExitAfterMs: number | undefined;
}

export function shutdownPlan(variant: Variant, config: Pick<AppConfig, 'drainDelayMs' | 'keepAliveCloseWindowMs' | 'shutdownTimeoutMs' | 'slowDrainWorkMs'>): ShutdownPlan {
  const graceful: ShutdownPlan = {
    handlesSigterm: true,
    exitImmediately: false,
    drainDelayMs: config.drainDelayMs,
    idleCloseAfterMs: config.drainDelayMs,
    advertiseConnectionClose: true,
    closeStreamsPolitely: true,
    holdInFlightWorkAfterSigtermMs: 0,
    forceExitAfterMs: config.shutdownTimeoutMs,
  };
  switch (variant) {
    case 'graceful':
      return graceful;
    case 'graceful-prestop':
      // The preStop sleep already covered endpoint propagation before SIGTERM arrived, so the listener closes at
      // once; pooled keep-alive connections are not covered by endpoint removal and still get `Connection: close` first.
      return { ...graceful, drainDelayMs: 0, idleCloseAfterMs: config.keepAliveCloseWindowMs };
    case 'exit-immediately':
      return { ...graceful, exitImmediately: true, drainDelayMs: 0, idleCloseAfterMs: 0, advertiseConnectionClose: false, closeStreamsPolitely: false, forceExitAfterMs: undefined };
    case 'ignore-sigterm':
      return { ...graceful, handlesSigterm: false, drainDelayMs: 0, idleCloseAfterMs: 0, advertiseConnectionClose: false, closeStreamsPolitely: false, forceExitAfterMs: undefined };
    case 'close-only':
      // The naive `server.close(() => process.exit(0))`: no delay, no Connection: close, streams left open.
      return { ...graceful, drainDelayMs: 0, idleCloseAfterMs: 0, advertiseConnectionClose: false, closeStreamsPolitely: false, forceExitAfterMs: undefined };
    case 'slow-drain':
      // Drains politely, but waits for work that outlasts any sane grace period.
      return { ...graceful, holdInFlightWorkAfterSigtermMs: config.slowDrainWorkMs, forceExitAfterMs: undefined };
    case 'delayed-close':
      // The plain Node recipe `setTimeout(() => server.close(() => process.exit(0)), delay)`: the delay covers endpoint
      // removal, but idle keep-alive sockets are closed with no `Connection: close` first, racing clients' next request.
      return { ...graceful, advertiseConnectionClose: false, forceExitAfterMs: undefined };
  }
}
