import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { connectionKey, parseConntrackLine, parseSampleMarker } from './conntrack-parse.ts';

const ESTABLISHED = 'tcp      6 86397 ESTABLISHED src=172.18.0.1 dst=172.18.0.4 sport=40512 dport=30088 packets=7 bytes=735 src=10.244.1.3 dst=10.244.0.1 sport=8080 dport=40512 packets=5 bytes=1188 [ASSURED] mark=0 use=1 id=3287146093';

describe('conntrack lines', () => {
  test('an accounted entry: state, both tuples, summed bytes and id', () => {
    expect(parseConntrackLine(ESTABLISHED)).toEqual({
      state: 'ESTABLISHED', timeoutSeconds: 86397,
      original: { src: '172.18.0.1', dst: '172.18.0.4', sport: 40512, dport: 30088 },
      reply: { src: '10.244.1.3', dst: '10.244.0.1', sport: 8080, dport: 40512 },
      bytes: 1923, id: '3287146093',
    });
    expect(connectionKey(parseConntrackLine(ESTABLISHED)!)).toBe('172.18.0.1:40512>172.18.0.4:30088#3287146093');
  });

  test('an unreplied entry without accounting or id', () => {
    const entry = parseConntrackLine('tcp      6 119 SYN_SENT src=172.18.0.1 dst=172.18.0.4 sport=40514 dport=30088 [UNREPLIED] src=10.244.2.5 dst=10.244.0.1 sport=8080 dport=40514 mark=0 use=1');
    expect(entry).toEqual({
      state: 'SYN_SENT', timeoutSeconds: 119,
      original: { src: '172.18.0.1', dst: '172.18.0.4', sport: 40514, dport: 30088 },
      reply: { src: '10.244.2.5', dst: '10.244.0.1', sport: 8080, dport: 40514 },
    });
    expect(connectionKey(entry!)).toBe('172.18.0.1:40514>172.18.0.4:30088');
  });

  test('summary lines, other protocols and garbage are not entries', () => {
    expect(parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.')).toBeUndefined();
    expect(parseConntrackLine('udp      17 29 src=10.244.0.2 dst=10.96.0.10 sport=5353 dport=53 src=10.244.0.3 dst=10.244.0.2 sport=53 dport=5353 mark=0 use=1')).toBeUndefined();
    expect(parseConntrackLine('tcp 6 12 ESTABLISHED src=1.2.3.4')).toBeUndefined();
    expect(parseConntrackLine('')).toBeUndefined();
  });

  test('sample markers carry bash $EPOCHREALTIME', () => {
    expect(parseSampleMarker('@1772359200.123456')).toBe(1_772_359_200_123);
    expect(parseSampleMarker('@1772359200,5')).toBe(1_772_359_200_500);
    expect(parseSampleMarker('@end')).toBeUndefined();
    expect(parseSampleMarker(ESTABLISHED)).toBeUndefined();
  });

  test('a real listing from the kind node (keep-alive load on NodePort 30088, conntrack 1.4.7, accounting on)', () => {
    const listing = readFileSync(new URL('./fixtures/conntrack-kind-nodeport.txt', import.meta.url), 'utf8').split('\n');
    const entries = listing.map(parseConntrackLine).filter((e) => e !== undefined);
    // The summary line ("19 flow entries have been shown") is not an entry; every other line is.
    expect(entries).toHaveLength(19);
    expect(entries.every((e) => e.original.dport === 30088 && e.original.src === '172.18.0.1' && e.reply.sport === 8080 && e.id)).toBe(true);
    // Open keep-alive connections carry counters; those closed before accounting was turned on do not.
    expect(entries.filter((e) => e.state === 'ESTABLISHED').every((e) => (e.bytes ?? 0) > 0)).toBe(true);
    expect(entries.filter((e) => e.state === 'TIME_WAIT').every((e) => e.bytes === undefined)).toBe(true);
    const established = entries.filter((e) => e.state === 'ESTABLISHED').map((e) => e.reply.src).sort();
    expect(established).toEqual(['10.244.1.2', '10.244.2.2', '10.244.2.2', '10.244.2.2', '10.244.2.3', '10.244.2.3']);
    expect(new Set(entries.map(connectionKey)).size).toBe(19);
  });
});
