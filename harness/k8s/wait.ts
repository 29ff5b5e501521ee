// Waiting on a condition with a deadline: the only way this harness waits for the cluster.
export interface WaitOptions {
  /** What is awaited, for the timeout error. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

export class WaitTimeoutError extends Error {}

/** Polls `probe` until it returns a value other than undefined, or throws naming what never happened. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new WaitTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
