import { describe, expect, test } from 'vitest';
import { parseKubeProxyConfig } from './environment.ts';

describe('kube-proxy config', () => {
  test('mode and iptables minSyncPeriod are read from the config file', () => {
    const text = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\niptables:\n  masqueradeAll: false\n  minSyncPeriod: 1s\n  syncPeriod: 0s\nipvs:\n  minSyncPeriod: 0s\nmode: iptables\n';
    expect(parseKubeProxyConfig(text)).toEqual({ mode: 'iptables', minSyncPeriod: '1s' });
  });
  test('an empty mode means iptables; a missing period is unknown', () => {
    expect(parseKubeProxyConfig('mode: ""\n')).toEqual({ mode: 'iptables', minSyncPeriod: 'unknown' });
  });
});
