import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseAccessLogLine, parseTimeMs } from './access-log.ts';

// Real lines from Traefik v3.7.13 on the kind cluster (traefik-objects.ts flags): its start-up line, one of its own
// warnings, then a request routed to a pod, one to a Service without endpoints, one to a port nothing listens on,
// and one no router matched.
const [startup, warning, routed, noEndpoint, refused, noRouter] = readFileSync(join(import.meta.dirname, 'fixtures', 'traefik-v3.7.13-access.jsonl'), 'utf8').trimEnd().split('\n') as [string, string, string, string, string, string];

describe('Traefik access log lines', () => {
  test('a routed request names the upstream pod, both statuses, the time and the duration', () => {
    expect(parseAccessLogLine(routed)).toEqual({
      atMs: Date.UTC(2026, 10, 30, 5, 35, 42, 336) + 0.365428,
      durationMs: 1.764732,
      status: 200,
      originStatus: 200,
      upstream: '10.244.1.12:8080',
      podHeader: 'app-5b7566d7d4-msqdf',
      proxyGenerated: false,
      router: 'drainspec-261130053534-92p-0-app-app-test@kubernetes',
      method: 'GET',
      path: '/',
    });
  });

  test('a Service without a serving endpoint: 503 from Traefik, no upstream', () => {
    const access = parseAccessLogLine(noEndpoint);
    expect(access).toMatchObject({ status: 503, proxyGenerated: true });
    expect(access?.upstream).toBeUndefined();
    expect(access?.originStatus).toBeUndefined();
  });

  test('an upstream that refuses the connection: 502 from Traefik, naming the upstream it tried', () => {
    const access = parseAccessLogLine(refused);
    expect(access).toMatchObject({ status: 502, upstream: '10.244.1.12:9999', proxyGenerated: true });
    expect(access?.originStatus).toBeUndefined();
  });

  test('no router for the host: 404 from Traefik', () => {
    expect(parseAccessLogLine(noRouter)).toMatchObject({ status: 404, proxyGenerated: true });
  });

  test("Traefik's own log lines and anything else are not access log entries", () => {
    for (const line of [startup, warning, '', 'not json', '{"DownstreamStatus":200}', '{"StartUTC":"2026-11-30T05:35:44Z"}', '{']) {
      expect(parseAccessLogLine(line), line).toBeUndefined();
    }
  });

  test('an upstream error status is the upstream\'s when its headers came back', () => {
    const fromApp = JSON.stringify({ ...JSON.parse(routed), DownstreamStatus: 503, OriginStatus: 503 });
    expect(parseAccessLogLine(fromApp)).toMatchObject({ status: 503, originStatus: 503, proxyGenerated: false });
  });

  test('without kept origin headers, an upstream that answered is told by its status', () => {
    const { 'origin_Date': _date, 'origin_X-Drainspec-Pod': _pod, ...bare } = JSON.parse(routed) as Record<string, unknown>;
    expect(parseAccessLogLine(JSON.stringify(bare))).toMatchObject({ status: 200, originStatus: 200, proxyGenerated: false });
    expect(parseAccessLogLine(JSON.stringify({ ...bare, DownstreamStatus: 504, OriginStatus: 504 }))).toMatchObject({ status: 504, proxyGenerated: true });
  });

  test('RFC 3339 times keep sub-millisecond digits and honour offsets', () => {
    expect(parseTimeMs('2026-11-30T05:35:44.573830972Z')).toBeCloseTo(Date.UTC(2026, 10, 30, 5, 35, 44, 573) + 0.830972, 3);
    expect(parseTimeMs('2026-11-30T06:35:44+01:00')).toBe(Date.UTC(2026, 10, 30, 5, 35, 44));
    expect(parseTimeMs('yesterday')).toBeUndefined();
  });
});
