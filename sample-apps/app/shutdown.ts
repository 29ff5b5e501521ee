// Follows a ShutdownPlan after SIGTERM, logging each step; resolves with the exit code.
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { LifecycleLog } from './lifecycle-log.ts';
import type { AppState } from './server.ts';
import type { ShutdownPlan } from './shutdown-plan.ts';
import type { Streams } from './streams.ts';

export interface ShutdownContext {
  server: Server;
  streams: Streams;
  state: AppState;
  plan: ShutdownPlan;
  log: LifecycleLog;
  sseRetryMs: number;
}

export async function runShutdown(ctx: ShutdownContext): Promise<number> {
  const { server, streams, state, plan, log } = ctx;
  if (plan.exitImmediately) return 0;
  log('readiness-off');
  if (plan.drainDelayMs > 0) await delay(plan.drainDelayMs);

  // Stops accepting only. http.Server#close would also drop idle keep-alive sockets at once (Node ≥ 19), racing
  // clients that are sending on them; those are closed below, after the Connection: close window.
  // The callback fires once every connection (pooled, in-flight, SSE, upgraded WebSocket) has ended.
  const drained = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  log('listener-closed');
  const idleCloseInMs = plan.idleCloseAfterMs - (Date.now() - (state.sigtermAtMs ?? Date.now()));
  if (idleCloseInMs > 0) await delay(idleCloseInMs);
  server.closeIdleConnections();
  state.closeNeverUsedConnections?.();
  log('idle-closed');
  if (plan.closeStreamsPolitely) {
    streams.closeAllPolitely(ctx.sseRetryMs);
    log('streams-closed');
  }

  if (plan.forceExitAfterMs === undefined) {
    await drained;
  } else {
    const sinceSigtermMs = Date.now() - (state.sigtermAtMs ?? Date.now());
    const timeout = delay(Math.max(0, plan.forceExitAfterMs - sinceSigtermMs), 'timeout' as const, { ref: false });
    if ((await Promise.race([drained.then(() => 'drained' as const), timeout])) === 'timeout') {
      server.closeAllConnections();
      streams.destroyAll();
      return 1;
    }
  }
  log('drained');
  return 0;
}
