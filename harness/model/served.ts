// Successful requests, aggregated instead of recorded one by one: counts per pod, per fresh/reused socket and per
// 100 ms of start time, plus each pod's last response. Memory grows with pods × run duration / bucket, not with
// the number of requests (failed and in-flight requests keep their full records).
export interface ServedPod {
  /** Counts by bucket index (start time − origin) / bucketMs, requests on a fresh connection. */
  fresh: number[];
  /** The same for requests on a reused keep-alive connection. */
  reused: number[];
  /** End of the last response this pod gave (epoch ms). */
  lastEndMs: number;
}

export interface ServedAggregate {
  originMs: number;
  bucketMs: number;
  total: number;
  /** By pod name; '' when the response named no pod. */
  pods: Record<string, ServedPod>;
}

export interface ServedRequest {
  pod?: string;
  startMs: number;
  endMs?: number;
  reusedSocket: boolean;
}

export function createServed(originMs: number, bucketMs = 100): ServedAggregate {
  return { originMs, bucketMs, total: 0, pods: {} };
}

const bucketOf = (served: ServedAggregate, atMs: number) => Math.max(0, Math.floor((atMs - served.originMs) / served.bucketMs));

export function addServed(served: ServedAggregate, request: ServedRequest): void {
  const key = request.pod ?? '';
  const pod = (served.pods[key] ??= { fresh: [], reused: [], lastEndMs: 0 });
  const counts = request.reusedSocket ? pod.reused : pod.fresh;
  const index = bucketOf(served, request.startMs);
  while (counts.length <= index) counts.push(0);
  counts[index] = (counts[index] ?? 0) + 1;
  pod.lastEndMs = Math.max(pod.lastEndMs, request.endMs ?? request.startMs);
  served.total += 1;
}

export interface ServedQuery {
  pod?: string;
  /** Only requests started in buckets that begin at or after this time. */
  fromMs?: number;
  /** true: fresh connections only; false: reused only; absent: both. */
  fresh?: boolean;
}

export function servedCount(served: ServedAggregate, query: ServedQuery = {}): number {
  const first = query.fromMs === undefined ? 0 : Math.max(0, Math.ceil((query.fromMs - served.originMs) / served.bucketMs));
  let count = 0;
  for (const [name, pod] of Object.entries(served.pods)) {
    if (query.pod !== undefined && name !== query.pod) continue;
    for (const counts of query.fresh === undefined ? [pod.fresh, pod.reused] : [query.fresh ? pod.fresh : pod.reused]) {
      for (let i = first; i < counts.length; i++) count += counts[i] ?? 0;
    }
  }
  return count;
}

/** Total successful requests per bucket, all pods and sockets. */
export function servedPerBucket(served: ServedAggregate): number[] {
  const totals: number[] = [];
  for (const pod of Object.values(served.pods)) {
    for (const counts of [pod.fresh, pod.reused]) {
      counts.forEach((n, i) => (totals[i] = (totals[i] ?? 0) + n));
    }
  }
  return Array.from(totals, (n) => n ?? 0);
}

/** Aggregates ok records (tests and fixtures build timelines from records). */
export function aggregateServed(records: readonly (ServedRequest & { outcome: string })[], originMs: number): ServedAggregate {
  const served = createServed(originMs);
  for (const r of records) if (r.outcome === 'ok') addServed(served, r);
  return served;
}
