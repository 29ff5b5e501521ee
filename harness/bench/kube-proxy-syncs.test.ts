import { expect, test } from 'vitest';
import { describeSyncs, parseSyncHistogram } from './kube-proxy-syncs.ts';

const page = (count: number, sum: number, upToOne: number) => [
  '# TYPE kubeproxy_sync_proxy_rules_duration_seconds histogram',
  `kubeproxy_sync_proxy_rules_duration_seconds_bucket{ip_family="IPv4",le="0.512"} ${upToOne - 1}`,
  `kubeproxy_sync_proxy_rules_duration_seconds_bucket{ip_family="IPv4",le="1.024"} ${upToOne}`,
  `kubeproxy_sync_proxy_rules_duration_seconds_bucket{ip_family="IPv6",le="1.024"} 999`,
  `kubeproxy_sync_proxy_rules_duration_seconds_sum{ip_family="IPv4"} ${sum}`,
  `kubeproxy_sync_proxy_rules_duration_seconds_count{ip_family="IPv4"} ${count}`,
  'kubeproxy_sync_partial_proxy_rules_duration_seconds_count{ip_family="IPv4"} 7',
].join('\n');

test('the IPv4 sync histogram, and what happened between two readings', () => {
  const before = parseSyncHistogram(page(100, 20, 95));
  expect(before).toEqual({ count: 100, sumSeconds: 20, overOneSecond: 5 });
  const after = parseSyncHistogram(page(150, 45, 130));
  expect(describeSyncs(before, after)).toBe('kube-proxy syncs: 50, mean 0.50 s, 15 over 1 s');
});

test('negative controls: a page without the metric, or a reading missing, is unknown', () => {
  expect(parseSyncHistogram('process_cpu_seconds_total 3')).toBeUndefined();
  expect(describeSyncs(undefined, parseSyncHistogram(page(1, 1, 1)))).toBe('kube-proxy syncs: unknown (its metrics could not be read)');
});
