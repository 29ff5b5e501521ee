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
});
