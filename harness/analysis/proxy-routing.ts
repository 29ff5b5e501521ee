// What the ingress proxy's access log says about one pod (pure): requests it sent there after a time, its last one.
import type { ProxyEvidence } from '../model/run-data.ts';

/** Requests the proxy sent to `pod` that it received at or after `fromMs` (to its 100 ms buckets); undefined without a log. */
export function routedCount(proxy: ProxyEvidence | undefined, pod: string, fromMs: number): number | undefined {
  if (proxy?.source !== 'access-log') return undefined;
  const entry = proxy.routed[pod];
  if (!entry) return 0;
  const first = Math.max(0, Math.ceil((fromMs - proxy.originMs) / proxy.bucketMs));
  return entry.counts.slice(first).reduce((n, c) => n + c, 0);
}

/** When the proxy last sent `pod` a request; undefined without a log or when it sent none. */
export function lastRoutedAtMs(proxy: ProxyEvidence | undefined, pod: string): number | undefined {
  if (proxy?.source !== 'access-log') return undefined;
  return proxy.routed[pod]?.lastAtMs;
}
