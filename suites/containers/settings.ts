// Every timing and load figure of the container suites, in one place. Small on purpose: the whole project
// must stay within a few minutes on a shared 2-core machine.
import type { Population } from '../../harness/load/accounted-load.ts';

/** Label on every container the suites start, so teardown can find leftovers. */
export const SUITE_CONTAINER_LABEL = 'drainspec.suite=containers';

export const SUITE = {
  instances: 2,
  /** docker stop -t (whole seconds): SIGTERM, then SIGKILL, like terminationGracePeriodSeconds. */
  gracePeriodMs: 4_000,
  /** New connections still routed to a terminating instance (endpoint propagation). */
  endpointRemovalLagMs: 600,
  /** In-app delay of `graceful`; must exceed the lag. */
  drainDelayMs: 1_500,
  /** preStop sleep for `graceful-prestop`; must exceed the lag. */
  preStopMs: 1_000,
  shutdownTimeoutMs: 3_500,
  slowRequestMs: 400,
  /** Load bounds: whichever comes first. */
  maxRequests: 40_000,
  maxLoadDurationMs: 30_000,
  requestTimeoutMs: 5_000,
  /** Requests each instance must have answered before SIGTERM, and after the exit, to prove the load was live. */
  warmupOkPerInstance: 20,
  okAfterExit: 100,
  conditionTimeoutMs: 15_000,
} as const;

export const appEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  DRAIN_DELAY_MS: String(SUITE.drainDelayMs),
  SHUTDOWN_TIMEOUT_MS: String(SUITE.shutdownTimeoutMs),
  SSE_INTERVAL_MS: '100',
  WS_TICK_INTERVAL_MS: '100',
  SSE_RETRY_MS: '200',
  ...extra,
});

export const POPULATIONS = {
  // A 2 ms pause bounds the pooled load (~3k req/s): sustained, yet far from maxRequests before the scenario ends.
  keepalive: { client: 'keepalive', path: '/', workers: 6, pauseMs: 2 },
  fresh: { client: 'fresh', path: '/', workers: 2, pauseMs: 5 },
  slow: { client: 'slow', path: `/slow?ms=${SUITE.slowRequestMs}`, workers: 4, pauseMs: 0 },
} as const satisfies Record<string, Population>;
