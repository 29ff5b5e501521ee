import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { shWith } from '../sh.ts';
import { loopScript, oldTimeWaitPattern, parsePreflight } from './sampler-script.ts';

// A stand-in conntrack on PATH that lists one young and one old TIME_WAIT entry.
const fakeBin = mkdtempSync(join(tmpdir(), 'drainspec-fake-conntrack-'));
writeFileSync(join(fakeBin, 'conntrack'), [
  '#!/bin/sh',
  'echo "tcp      6 119 TIME_WAIT src=172.18.0.1 dst=172.18.0.4 sport=1 dport=30088 src=10.244.1.3 dst=10.244.0.1 sport=8080 dport=1 [ASSURED] mark=0 use=1"',
  'echo "tcp      6 20 TIME_WAIT src=172.18.0.1 dst=172.18.0.4 sport=2 dport=30088 src=10.244.1.3 dst=10.244.0.1 sport=8080 dport=2 [ASSURED] mark=0 use=1"',
  'echo "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown." >&2',
].join('\n'));
chmodSync(join(fakeBin, 'conntrack'), 0o755);
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));
const withFake = shWith({ PATH: `${fakeBin}:${process.env.PATH ?? ''}` });
const script = (maxSamples: number) => loopScript({ nodePort: 30088, intervalMs: 50, maxSamples, maxSeconds: 10, entryIds: false, dropPattern: oldTimeWaitPattern(120, 3) });

describe('conntrack sampler scripts', () => {
  test('preflight output', () => {
    expect(parsePreflight('acct=1 timewait=120 id=1\n')).toEqual({ accounting: true, timeWaitSeconds: 120, entryIds: true });
    expect(parsePreflight('missing=conntrack\n')).toMatchObject({ missing: 'conntrack', accounting: false });
    expect(parsePreflight('acct=0 timewait=60 id=0')).toEqual({ accounting: false, timeWaitSeconds: 60, entryIds: false });
  });

  test('only TIME_WAIT entries older than the keep window are dropped', () => {
    const pattern = new RegExp(oldTimeWaitPattern(120, 3));
    const entry = (timeout: number, state: string) => `tcp      6 ${timeout} ${state} src=172.18.0.1 dst=172.18.0.4 sport=1 dport=30088`;
    expect(pattern.test(entry(116, 'TIME_WAIT'))).toBe(true);
    expect(pattern.test(entry(0, 'TIME_WAIT'))).toBe(true);
    expect(pattern.test(entry(117, 'TIME_WAIT'))).toBe(false);
    expect(pattern.test(entry(120, 'TIME_WAIT'))).toBe(false);
    expect(pattern.test(entry(5, 'ESTABLISHED'))).toBe(false);
    expect(pattern.test(entry(86399, 'ESTABLISHED'))).toBe(false);
    expect(pattern.test(entry(1160, 'TIME_WAIT'))).toBe(false);
  });

  test('the loop lists every interval until its sample bound, dropping old TIME_WAIT entries', async () => {
    const run = withFake`bash -c ${script(3)}`;
    const lines = (await run).stdout.trim().split('\n');
    const markers = lines.filter((l) => /^@\d+\.\d+$/.test(l)).map((l) => Number(l.slice(1)) * 1000);
    expect(markers).toHaveLength(3);
    // On the 50 ms cadence, not 50 ms plus the listing's own time.
    expect(markers.at(-1)! - markers[0]!).toBeGreaterThanOrEqual(95);
    expect(markers.at(-1)! - markers[0]!).toBeLessThan(140);
    expect(lines.filter((l) => l.includes('sport=1 '))).toHaveLength(3);
    expect(lines.some((l) => l.includes('sport=2 '))).toBe(false);
    expect(lines.at(-1)).toBe('@end');
  });

  test('closing its stdin ends the loop at once, after one last sample', async () => {
    const startedAt = Date.now();
    const run = withFake`bash -c ${loopScript({ nodePort: 30088, intervalMs: 5_000, maxSamples: 100, maxSeconds: 60, entryIds: false, dropPattern: '^$' })}`;
    run.stdin.end();
    const lines = (await run).stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('@1'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('@end');
    expect(Date.now() - startedAt).toBeLessThan(4_000);
  });
});
