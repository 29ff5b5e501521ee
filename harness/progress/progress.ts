// Stage progress: a live status line on a TTY, periodic plain lines elsewhere (CI logs stay readable).
export interface ProgressSink {
  /** Starts a named stage; returns a function that ends it (ok or failed). */
  stage(name: string): (outcome?: 'ok' | 'failed') => void;
  /** Live detail for the current stage (rendered in place on a TTY, throttled to one line per interval otherwise). */
  update(detail: string): void;
  /** A line that must always be printed. */
  line(text: string): void;
}

export interface ProgressOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain-mode interval between detail lines. */
  plainIntervalMs: number;
  now: () => number;
}

const defaults: ProgressOptions = { out: process.stderr, plainIntervalMs: 10_000, now: Date.now };

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function createProgress(options: Partial<ProgressOptions> = {}): ProgressSink {
  const { out, plainIntervalMs, now } = { ...defaults, ...options };
  const live = out.isTTY === true && !process.env.CI;
  let current: { name: string; startedAt: number } | undefined;
  let lastPlainAt = 0;
  let liveLineOpen = false;

  const clearLive = () => {
    if (liveLineOpen) out.write('\r\x1b[2K');
    liveLineOpen = false;
  };

  return {
    stage(name) {
      const startedAt = now();
      current = { name, startedAt };
      clearLive();
      out.write(`▶ ${name}\n`);
      return (outcome = 'ok') => {
        clearLive();
        out.write(`${outcome === 'ok' ? '✔' : '✖'} ${name} (${formatElapsed(now() - startedAt)})\n`);
        if (current?.startedAt === startedAt) current = undefined;
      };
    },
    update(detail) {
      const prefix = current ? `${current.name} ${formatElapsed(now() - current.startedAt)}: ` : '';
      if (live) {
        out.write(`\r\x1b[2K  ${prefix}${detail}`);
        liveLineOpen = true;
        return;
      }
      if (now() - lastPlainAt < plainIntervalMs) return;
      lastPlainAt = now();
      out.write(`  ${prefix}${detail}\n`);
    },
    line(text) {
      clearLive();
      out.write(`${text}\n`);
    },
  };
}
