// API-server clock − harness clock, from the 1 s-resolution HTTP `Date` header: each response bounds the offset
// to a window as wide as one second plus its round trip; probes timed to land on the server's second boundaries
// split that window until it is a few round trips wide.

/** One probe: harness send and receive times and the server's `Date` header (whole seconds, epoch ms). */
export interface DateSample {
  sentMs: number;
  receivedMs: number;
  serverDateMs: number;
}

export interface ClockOffset {
  /** Server clock − harness clock: harness time = server time − offsetMs. */
  offsetMs: number;
  /** Half-width of the interval the offset is known to lie in. */
  uncertaintyMs: number;
  samples: number;
}

export interface OffsetBounds {
  lowMs: number;
  highMs: number;
}

const SECOND_MS = 1000;

/**
 * The server wrote `Date` = floor(server time) at some instant within [sent, received]: offset ∈ [D − received,
 * D + 1 s − sent]. Undefined when the samples contradict each other (clock stepped, a proxy rewrote the header).
 */
export function offsetBounds(samples: readonly DateSample[]): OffsetBounds | undefined {
  let lowMs = -Infinity;
  let highMs = Infinity;
  for (const s of samples) {
    lowMs = Math.max(lowMs, s.serverDateMs - s.receivedMs);
    highMs = Math.min(highMs, s.serverDateMs + SECOND_MS - s.sentMs);
  }
  return samples.length > 0 && lowMs <= highMs ? { lowMs, highMs } : undefined;
}

/** Midpoint of the joint bounds; contradictory samples fall back to the quickest single sample (±½ s + ½ RTT). */
export function estimateClockOffset(samples: readonly DateSample[]): ClockOffset | undefined {
  if (samples.length === 0) return undefined;
  const bounds = offsetBounds(samples) ?? offsetBounds([quickest(samples)]);
  if (!bounds) return undefined;
  return { offsetMs: Math.round((bounds.lowMs + bounds.highMs) / 2), uncertaintyMs: Math.ceil((bounds.highMs - bounds.lowMs) / 2), samples: samples.length };
}

function quickest(samples: readonly DateSample[]): DateSample {
  return samples.reduce((best, s) => (s.receivedMs - s.sentMs < best.receivedMs - best.sentMs ? s : best));
}

/**
 * Harness times at which to send `count` probes so that, for `count` offsets spread evenly inside `bounds`, the
 * server's second would tick over mid-request: each probe then tells on which side of its offset the truth lies.
 * Each probe takes the earliest such time at or after `notBeforeMs`; returned in send order.
 */
export function probeSendTimes(bounds: OffsetBounds, notBeforeMs: number, count: number, roundTripMs: number): number[] {
  const times: number[] = [];
  for (let i = 1; i <= count; i++) {
    const candidateOffsetMs = bounds.lowMs + ((bounds.highMs - bounds.lowMs) * i) / (count + 1);
    // Server tick k·1 s happens at harness time k·1 s − offset; aim the request's midpoint at it.
    const firstTick = Math.ceil((notBeforeMs + roundTripMs / 2 + candidateOffsetMs) / SECOND_MS);
    times.push(firstTick * SECOND_MS - candidateOffsetMs - roundTripMs / 2);
  }
  return times.sort((a, b) => a - b);
}

export interface MeasureOptions {
  /** Stop refining once the offset is known to ± this. */
  targetUncertaintyMs: number;
  /** Total time budget, probes included. */
  maxDurationMs: number;
  probesPerRound: number;
  maxRounds: number;
}

export const CLOCK_OFFSET_DEFAULTS: MeasureOptions = { targetUncertaintyMs: 10, maxDurationMs: 3_000, probesPerRound: 5, maxRounds: 4 };

export interface MeasureDeps {
  /** One request; resolves to the server's `Date` header in epoch ms. */
  probe(): Promise<number>;
  now(): number;
  sleepUntil(atMs: number): Promise<void>;
}

/** Refines the offset in rounds of timed probes; a failed probe ends it with what the earlier samples showed. */
export async function measureOffset(deps: MeasureDeps, options: MeasureOptions = CLOCK_OFFSET_DEFAULTS): Promise<ClockOffset> {
  const deadlineMs = deps.now() + options.maxDurationMs;
  const samples: DateSample[] = [];
  const take = async (): Promise<void> => {
    const sentMs = deps.now();
    const serverDateMs = await deps.probe();
    samples.push({ sentMs, receivedMs: deps.now(), serverDateMs });
  };
  await take();
  for (let round = 0; round < options.maxRounds; round++) {
    const estimate = estimateClockOffset(samples);
    const bounds = offsetBounds(samples);
    if (!estimate || !bounds || estimate.uncertaintyMs <= options.targetUncertaintyMs) break;
    const roundTripMs = Math.min(...samples.map((s) => s.receivedMs - s.sentMs));
    const times = probeSendTimes(bounds, deps.now() + 5, options.probesPerRound, roundTripMs).filter((t) => t + 4 * roundTripMs + 50 < deadlineMs);
    if (times.length === 0) break;
    try {
      // One at a time: a probe sent late (the previous one still out) is still a valid, if less telling, sample.
      for (const atMs of times) {
        await deps.sleepUntil(atMs);
        await take();
      }
    } catch {
      break;
    }
  }
  const estimate = estimateClockOffset(samples);
  if (!estimate) throw new Error('clock offset: no usable Date header from the API server');
  return estimate;
}
