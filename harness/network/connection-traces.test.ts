import { describe, expect, test } from 'vitest';
import { parseConntrackLine } from './conntrack-parse.ts';
import { createTraceBuilder } from './connection-traces.ts';

const line = (sport: number, podIp: string, bytes: number, state = 'ESTABLISHED', id = String(sport)) =>
  `tcp      6 86399 ${state} src=172.18.0.1 dst=172.18.0.4 sport=${sport} dport=30088 packets=3 bytes=${bytes} src=${podIp} dst=10.244.0.1 sport=8080 dport=${sport} packets=3 bytes=${bytes} [ASSURED] mark=0 use=1 id=${id}`;

function feed(builder: ReturnType<typeof createTraceBuilder>, samples: [number, string[]][]) {
  for (const [atMs, lines] of samples) {
    builder.sample(atMs);
    for (const l of lines) builder.add(atMs, parseConntrackLine(l)!);
  }
}

describe('connection traces from conntrack samples', () => {
  test('a connection is active at the samples where its byte counters grew, and attributed to its reply source', () => {
    const podByIp = new Map([['10.244.1.3', 'app-a'], ['10.244.2.5', 'app-b']]);
    const builder = createTraceBuilder(() => podByIp);
    feed(builder, [
      [1_000, []],
      [1_250, [line(40512, '10.244.1.3', 100), line(40514, '10.244.2.5', 100)]],
      [1_500, [line(40512, '10.244.1.3', 300), line(40514, '10.244.2.5', 100)]],
      [1_750, [line(40512, '10.244.1.3', 300), line(40514, '10.244.2.5', 250)]],
      // The node was busy: this sample came 650 ms after the previous one, and the evidence says so.
      [2_400, [line(40514, '10.244.2.5', 250, 'TIME_WAIT')]],
    ]);
    expect(builder.evidence(250)).toEqual({
      source: 'conntrack', sampleIntervalMs: 250, maxSampleGapMs: 650,
      pods: {
        'app-a': [{ firstSeenAtMs: 1_250, lastSeenAtMs: 1_750, activeAtMs: [1_250, 1_500] }],
        'app-b': [{ firstSeenAtMs: 1_250, lastSeenAtMs: 2_400, activeAtMs: [1_250, 1_750] }],
      },
    });
  });

  test('connections already open at the first sample are not active until their counters grow', () => {
    const builder = createTraceBuilder(() => new Map([['10.244.1.3', 'app-a']]));
    feed(builder, [[1_000, [line(1, '10.244.1.3', 500)]], [1_250, [line(1, '10.244.1.3', 500)]], [1_500, [line(1, '10.244.1.3', 900)]]]);
    expect(builder.evidence(250).source === 'conntrack' && builder.evidence(250)).toMatchObject({ pods: { 'app-a': [{ firstSeenAtMs: 1_000, activeAtMs: [1_500] }] } });
  });

  test('a pod IP reused by a later pod keeps earlier connections with the pod that had it', () => {
    const podByIp = new Map([['10.244.1.3', 'app-old']]);
    const builder = createTraceBuilder(() => podByIp);
    feed(builder, [[0, []], [250, [line(1, '10.244.1.3', 10)]]]);
    podByIp.set('10.244.1.3', 'app-new');
    feed(builder, [[500, [line(1, '10.244.1.3', 10, 'TIME_WAIT'), line(2, '10.244.1.3', 10)]]]);
    const evidence = builder.evidence(250);
    expect(evidence.source === 'conntrack' && Object.fromEntries(Object.entries(evidence.pods).map(([pod, traces]) => [pod, traces.length]))).toEqual({ 'app-old': 1, 'app-new': 1 });
  });

  test('an address no watched pod held stays visible, by address', () => {
    const podByIp = new Map<string, string>();
    const builder = createTraceBuilder(() => podByIp);
    feed(builder, [[0, []], [250, [line(1, '10.244.9.9', 10), line(2, '10.244.1.3', 10)]]]);
    // Learned later (the watch lagged the first connection): attributed at the end.
    podByIp.set('10.244.1.3', 'app-a');
    const evidence = builder.evidence(250);
    expect(evidence.source === 'conntrack' && Object.keys(evidence.pods).sort()).toEqual(['app-a', 'ip:10.244.9.9']);
  });
});
