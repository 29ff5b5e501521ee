// Stage progress: a live status line on a TTY, periodic plain lines elsewhere (CI logs stay readable). Several stages
// may run at once (concurrent scenarios): a detail that names its stage is kept and throttled per stage.
export interface ProgressSink {
  /** Starts a named stage; returns a function that ends it (ok or failed). */
  stage(name: string): (outcome?: 'ok' | 'failed') => void;
  /**
   * Live detail (rendered in place on a TTY, throttled to one line per interval otherwise). `stage`: the name of the
   * stage it belongs to, when several run at once; absent, the stage started last.
   */
  update(detail: string, stage?: string): void;
  /** A line that must always be printed. */
  line(text: string): void;
}

export interface ProgressOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Plain-mode interval between detail lines (per stage). */
  plainIntervalMs: number;
  now: () => number;
}

const defaults: ProgressOptions = { out: process.stderr, plainIntervalMs: 10_000, now: Date.now };

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

interface OpenStage {
  name: string;
  startedAt: number;
  detail?: string;
  lastPlainAt: number;
}

export function createProgress(options: Partial<ProgressOptions> = {}): ProgressSink {
  const { out, plainIntervalMs, now } = { ...defaults, ...options };
  const live = out.isTTY === true && !process.env.CI;
  /** Open stages, in start order; the same name twice is two stages. */
  const open: OpenStage[] = [];
  let lastUnstagedPlainAt = 0;
  let liveLineOpen = false;

  const clearLive = () => {
    if (liveLineOpen) out.write('\r\x1b[2K');
    liveLineOpen = false;
  };
  const prefixOf = (s: OpenStage | undefined) => (s ? `${s.name} ${formatElapsed(now() - s.startedAt)}: ` : '');
  /** One live line for every open stage that has a detail, cut to the terminal's width so it never wraps. */
  const renderLive = () => {
    const shown = open.filter((s) => s.detail !== undefined);
    const text = shown.length <= 1 ? `  ${prefixOf(shown[0])}${shown[0]?.detail ?? ''}` : `  ${shown.length} running · ${shown.map((s) => `${prefixOf(s)}${s.detail}`).join(' · ')}`;
    const width = out.columns ?? 0;
    out.write(`\r\x1b[2K${width > 1 && text.length >= width ? `${text.slice(0, width - 2)}…` : text}`);
    liveLineOpen = true;
  };

  return {
    stage(name) {
      const stage: OpenStage = { name, startedAt: now(), lastPlainAt: 0 };
      open.push(stage);
      clearLive();
      out.write(`▶ ${name}\n`);
      return (outcome = 'ok') => {
        const i = open.indexOf(stage);
        if (i >= 0) open.splice(i, 1);
        clearLive();
        out.write(`${outcome === 'ok' ? '✔' : '✖'} ${name} (${formatElapsed(now() - stage.startedAt)})\n`);
        if (live && open.some((s) => s.detail !== undefined)) renderLive();
      };
    },
    update(detail, stageName) {
      const stage = stageName === undefined ? open.at(-1) : open.find((s) => s.name === stageName);
      if (live) {
        if (stage) stage.detail = detail;
        if (stage) renderLive();
        else {
          out.write(`\r\x1b[2K  ${detail}`);
          liveLineOpen = true;
        }
        return;
      }
      const last = stage?.lastPlainAt ?? lastUnstagedPlainAt;
      if (now() - last < plainIntervalMs) return;
      if (stage) stage.lastPlainAt = now();
      else lastUnstagedPlainAt = now();
      out.write(`  ${prefixOf(stage)}${detail}\n`);
    },
    line(text) {
      clearLive();
      out.write(`${text}\n`);
      if (live && open.some((s) => s.detail !== undefined)) renderLive();
    },
  };
}
