// The load client's own health over a load's life: how late its event loop ran (a stalled loop stamps requests
// late and sends nothing) and how much CPU the process used. Analysis turns a stall into verdict `error`.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HarnessHealth } from '../model/run-data.ts';

/** The histogram's timer period: finer costs wake-ups, coarser hides stalls shorter than it. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

export interface SelfMonitor {
  /** Figures so far (the monitor keeps running). */
  read(): HarnessHealth;
  /** Stops measuring; returns the figures for the whole life. */
  stop(): HarnessHealth;
}

export function startSelfMonitor(now: () => number = Date.now): SelfMonitor {
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  histogram.enable();
  const startedAtMs = now();
  const cpuAtStart = process.cpuUsage();
  let final: HarnessHealth | undefined;
  // The histogram records each timer interval whole; the delay is how much later than its period it fired.
  const lateMs = (ns: number) => (histogram.count === 0 ? 0 : Math.max(0, Math.round(ns / 1e6 - EVENT_LOOP_RESOLUTION_MS)));
  const read = (): HarnessHealth => {
    if (final) return final;
    const cpu = process.cpuUsage(cpuAtStart);
    return {
      maxEventLoopDelayMs: lateMs(histogram.max),
      p99EventLoopDelayMs: lateMs(histogram.percentile(99)),
      cpuUserMs: Math.round(cpu.user / 1000),
      cpuSystemMs: Math.round(cpu.system / 1000),
      wallMs: now() - startedAtMs,
    };
  };
  return {
    read,
    stop() {
      if (!final) {
        final = read();
        histogram.disable();
      }
      return final;
    },
  };
}
