// One agent's served requests counted per millisecond of its own clock: Date.now() is whole milliseconds, so once
// the agent's clock offset is final (only at the end of the run) they land in exactly the ServedAggregate buckets
// that addServed would have put the shifted records in. Memory grows with the milliseconds that saw a request.
import { addServed, type ServedAggregate } from '../model/served.ts';

interface FinePod {
  fresh: Map<number, number>;
  reused: Map<number, number>;
  lastEndMs: number;
}

export class FineServed {
  readonly #pods = new Map<string, FinePod>();
  total = 0;

  add(pod: string | undefined, reusedSocket: boolean, startMs: number, endMs: number): void {
    const key = pod ?? '';
    let entry = this.#pods.get(key);
    if (!entry) this.#pods.set(key, (entry = { fresh: new Map(), reused: new Map(), lastEndMs: -Infinity }));
    const counts = reusedSocket ? entry.reused : entry.fresh;
    counts.set(startMs, (counts.get(startMs) ?? 0) + 1);
    entry.lastEndMs = Math.max(entry.lastEndMs, endMs);
    this.total += 1;
  }

  /** Adds these requests to `served`, their times shifted by `offsetMs` (harness = agent + offsetMs). */
  addTo(served: ServedAggregate, offsetMs: number): void {
    for (const [key, entry] of this.#pods) {
      const pod = key === '' ? undefined : key;
      for (const [counts, reusedSocket] of [[entry.fresh, false], [entry.reused, true]] as const) {
        for (const [startMs, count] of counts) {
          for (let i = 0; i < count; i++) addServed(served, { pod, startMs: startMs + offsetMs, reusedSocket });
        }
      }
      const target = served.pods[key];
      if (target) target.lastEndMs = Math.max(target.lastEndMs, entry.lastEndMs + offsetMs);
    }
  }
}
