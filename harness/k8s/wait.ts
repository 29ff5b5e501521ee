// Waiting on a condition with a deadline: the only way this harness waits for the cluster. The deadline and the
// signal both hold while a probe is in flight, so a probe that hangs cannot stretch either.
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
  const { signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  const timedOut = () => {
    const cause = lastError ? ` (last error: ${((lastError as Error).message ?? String(lastError)).split('\n')[0]})` : '';
    return new WaitTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}${cause}`);
  };
  for (;;) {
    signal?.throwIfAborted();
    const attempt = await settleWithin(probe, deadline - Date.now(), signal);
    if (attempt.kind === 'value' && attempt.value !== undefined) return attempt.value;
    if (attempt.kind === 'error') lastError = attempt.error;
    if (attempt.kind === 'late' || Date.now() >= deadline) throw timedOut();
    await sleep(Math.min(options.intervalMs ?? 250, Math.max(0, deadline - Date.now())), signal);
  }
}

type Attempt<T> = { kind: 'value'; value: T | undefined } | { kind: 'error'; error: unknown } | { kind: 'late' };

/** Runs `probe` but stops waiting for it at the deadline or on abort (a hung probe is abandoned, not awaited). */
function settleWithin<T>(probe: () => Promise<T | undefined>, remainingMs: number, signal: AbortSignal | undefined): Promise<Attempt<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => resolve({ kind: 'late' })), Math.max(0, remainingMs));
    const onAbort = () => finish(() => reject(signal?.reason));
    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    probe().then((value) => finish(() => resolve({ kind: 'value', value })), (error: unknown) => finish(() => resolve({ kind: 'error', error })));
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
