// Defaults of the test-only balancer, in one place.
export interface BalancerOptions {
  /** Listen port on 127.0.0.1; 0 = any free port. */
  port: number;
  /** Give up connecting to an upstream after this long (the client then gets a reset). */
  connectTimeoutMs: number;
}

export const DEFAULT_BALANCER_OPTIONS: BalancerOptions = { port: 0, connectTimeoutMs: 2_000 };
