// Folds conntrack samples into one trace per connection, attributed to the pod its reply came from.
import type { ConnectionEvidence, ConnectionTrace } from '../model/run-data.ts';
import { connectionKey, type ConntrackEntry } from './conntrack-parse.ts';

interface Trace extends ConnectionTrace {
  replyIp: string;
  /** Pod that held replyIp when the connection was first seen (IPs are reused by later pods). */
  pod?: string;
  lastBytes: number;
}

/** Connections to an IP no watched pod held are listed under this key. */
export const unattributedKey = (ip: string) => `ip:${ip}`;

export function createTraceBuilder(podByIp: () => ReadonlyMap<string, string>) {
  const traces = new Map<string, Trace>();
  let firstSampleAtMs: number | undefined;
  let lastSampleAtMs: number | undefined;
  let maxSampleGapMs = 0;

  /** A sample was taken at `atMs` (its entries follow). */
  function sample(atMs: number): void {
    firstSampleAtMs ??= atMs;
    if (lastSampleAtMs !== undefined) maxSampleGapMs = Math.max(maxSampleGapMs, atMs - lastSampleAtMs);
    lastSampleAtMs = atMs;
  }

  /** One listed entry of the sample taken at `atMs`. */
  function add(atMs: number, entry: ConntrackEntry): void {
    firstSampleAtMs ??= atMs;
    const key = connectionKey(entry);
    const bytes = entry.bytes ?? 0;
    let trace = traces.get(key);
    if (!trace) {
      // A connection first listed after the first sample opened since the previous one: traffic flowed. One in the
      // first sample is older than the sampler, its counters tell nothing about now.
      trace = { firstSeenAtMs: atMs, lastSeenAtMs: atMs, activeAtMs: atMs === firstSampleAtMs ? [] : [atMs], replyIp: entry.reply.src, lastBytes: bytes };
      traces.set(key, trace);
    } else if (atMs !== trace.lastSeenAtMs) {
      if (bytes > trace.lastBytes) trace.activeAtMs.push(atMs);
      trace.lastSeenAtMs = atMs;
      trace.lastBytes = bytes;
    }
    trace.pod ??= podByIp().get(trace.replyIp);
  }

  /** Traces by pod name (by `ip:<address>` when no pod held the address). */
  function evidence(sampleIntervalMs: number): ConnectionEvidence {
    const pods: Record<string, ConnectionTrace[]> = {};
    for (const trace of traces.values()) {
      const pod = trace.pod ?? podByIp().get(trace.replyIp) ?? unattributedKey(trace.replyIp);
      (pods[pod] ??= []).push({ firstSeenAtMs: trace.firstSeenAtMs, lastSeenAtMs: trace.lastSeenAtMs, activeAtMs: trace.activeAtMs });
    }
    for (const list of Object.values(pods)) list.sort((a, b) => a.firstSeenAtMs - b.firstSeenAtMs);
    return { source: 'conntrack', sampleIntervalMs, maxSampleGapMs: Math.max(maxSampleGapMs, sampleIntervalMs), pods };
  }

  return { sample, add, evidence, get connections() { return traces.size; } };
}
