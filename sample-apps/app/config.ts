// Every setting of the sample app, its env var and its default, in one place.
// The app is self-contained (it runs alone in its image), so the variant list mirrors
// harness/model/run-data.ts APP_VARIANTS; a unit test keeps the two in sync.
import { hostname } from 'node:os';

export const VARIANTS = ['graceful', 'graceful-prestop', 'exit-immediately', 'ignore-sigterm', 'close-only', 'slow-drain', 'delayed-close'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface AppConfig {
  /** DRAINSPEC_VARIANT: which shutdown behaviour to run. */
  variant: Variant;
  /** PORT */
  port: number;
  /** POD_NAME (the downward API in k8s); defaults to the hostname. Sent as `x-drainspec-pod`. */
  podName: string;
  /** DRAIN_DELAY_MS: how long `graceful` keeps serving after SIGTERM (covers endpoint propagation). */
  drainDelayMs: number;
  /**
   * KEEPALIVE_CLOSE_WINDOW_MS: `graceful-prestop` closes its listener at once but keeps answering pooled keep-alive
   * connections (with `Connection: close`) this long before closing idle ones; closing them at once races clients.
   */
  keepAliveCloseWindowMs: number;
  /** SHUTDOWN_TIMEOUT_MS: from SIGTERM, when the graceful variants give up waiting and exit 1. */
  shutdownTimeoutMs: number;
  /** SLOW_DRAIN_WORK_MS: `slow-drain` holds in-flight /slow work until this long after SIGTERM. */
  slowDrainWorkMs: number;
  /** SLOW_DEFAULT_MS / SLOW_MAX_MS: duration of `/slow` without `?ms=`, and its upper bound. */
  slowDefaultMs: number;
  slowMaxMs: number;
  /** SSE_INTERVAL_MS / WS_TICK_INTERVAL_MS: one event / tick per interval. */
  sseIntervalMs: number;
  wsTickIntervalMs: number;
  /** SSE_RETRY_MS: the `retry:` hint sent when a stream is ended on shutdown. */
  sseRetryMs: number;
}

export const DEFAULT_APP_CONFIG: Omit<AppConfig, 'podName'> = {
  variant: 'graceful',
  port: 8080,
  drainDelayMs: 5_000,
  keepAliveCloseWindowMs: 1_000,
  shutdownTimeoutMs: 10_000,
  slowDrainWorkMs: 60_000,
  slowDefaultMs: 1_000,
  slowMaxMs: 120_000,
  sseIntervalMs: 200,
  wsTickIntervalMs: 200,
  sseRetryMs: 1_000,
};

type Env = Record<string, string | undefined>;

function nonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw.trim());
}

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

/** Reads the config from the environment; throws a one-line error naming the bad variable. */
export function parseAppConfig(env: Env, defaultPodName: string = hostname()): AppConfig {
  const variant = env.DRAINSPEC_VARIANT?.trim() || DEFAULT_APP_CONFIG.variant;
  if (!isVariant(variant)) throw new Error(`DRAINSPEC_VARIANT must be one of ${VARIANTS.join(', ')}; got '${variant}'`);
  const port = nonNegativeInt(env, 'PORT', DEFAULT_APP_CONFIG.port);
  if (port < 1 || port > 65_535) throw new Error(`PORT must be 1-65535, got ${port}`);
  const config: AppConfig = {
    variant,
    port,
    podName: env.POD_NAME?.trim() || defaultPodName,
    drainDelayMs: nonNegativeInt(env, 'DRAIN_DELAY_MS', DEFAULT_APP_CONFIG.drainDelayMs),
    keepAliveCloseWindowMs: nonNegativeInt(env, 'KEEPALIVE_CLOSE_WINDOW_MS', DEFAULT_APP_CONFIG.keepAliveCloseWindowMs),
    shutdownTimeoutMs: nonNegativeInt(env, 'SHUTDOWN_TIMEOUT_MS', DEFAULT_APP_CONFIG.shutdownTimeoutMs),
    slowDrainWorkMs: nonNegativeInt(env, 'SLOW_DRAIN_WORK_MS', DEFAULT_APP_CONFIG.slowDrainWorkMs),
    slowDefaultMs: nonNegativeInt(env, 'SLOW_DEFAULT_MS', DEFAULT_APP_CONFIG.slowDefaultMs),
    slowMaxMs: nonNegativeInt(env, 'SLOW_MAX_MS', DEFAULT_APP_CONFIG.slowMaxMs),
    sseIntervalMs: nonNegativeInt(env, 'SSE_INTERVAL_MS', DEFAULT_APP_CONFIG.sseIntervalMs),
    wsTickIntervalMs: nonNegativeInt(env, 'WS_TICK_INTERVAL_MS', DEFAULT_APP_CONFIG.wsTickIntervalMs),
    sseRetryMs: nonNegativeInt(env, 'SSE_RETRY_MS', DEFAULT_APP_CONFIG.sseRetryMs),
  };
  if (config.sseIntervalMs < 10 || config.wsTickIntervalMs < 10) throw new Error('SSE_INTERVAL_MS and WS_TICK_INTERVAL_MS must be ≥ 10');
  if (variant.startsWith('graceful')) {
    for (const [name, valueMs] of [['DRAIN_DELAY_MS', config.drainDelayMs], ['KEEPALIVE_CLOSE_WINDOW_MS', config.keepAliveCloseWindowMs]] as const) {
      if (valueMs >= config.shutdownTimeoutMs) throw new Error(`${name} (${valueMs}) must be shorter than SHUTDOWN_TIMEOUT_MS (${config.shutdownTimeoutMs})`);
    }
  }
  return config;
}
