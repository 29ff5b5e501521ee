import { describe, expect, it } from 'vitest';
import { benchSeconds, formatRatio, formatTable, mibPerMillion, parseWrkRequestsPerSec, ratio, ratioLine } from './report.ts';

describe('bench report helpers', () => {
  it('reads BENCH_SECONDS with a default and bounds', () => {
    expect(benchSeconds(undefined)).toBe(5);
    expect(benchSeconds('')).toBe(5);
    expect(benchSeconds('2.5')).toBe(2.5);
    expect(() => benchSeconds('0')).toThrow(/BENCH_SECONDS/);
    expect(() => benchSeconds('abc')).toThrow(/BENCH_SECONDS/);
    expect(() => benchSeconds('301')).toThrow(/BENCH_SECONDS/);
  });

  it('computes and formats ratios, n/a without a usable baseline', () => {
    expect(ratio(95, 100)).toBeCloseTo(0.95);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(undefined, 1)).toBeUndefined();
    expect(formatRatio(0.3149)).toBe('0.31');
    expect(formatRatio(undefined)).toBe('n/a');
    expect(ratioLine(0.955)).toMatch(/^ratio_vs_autocannon=\d+\.\d\d$/);
    expect(ratioLine(1)).toBe('ratio_vs_autocannon=1.00');
    expect(() => ratioLine(Number.NaN)).toThrow();
  });

  it('scales bytes to MiB per million requests', () => {
    expect(mibPerMillion(1024 * 1024, 1_000_000)).toBe(1);
    expect(mibPerMillion(200, 1)).toBeCloseTo((200 * 1e6) / (1024 * 1024));
    expect(mibPerMillion(1, 0)).toBeUndefined();
  });

  it("parses wrk's Requests/sec line", () => {
    expect(parseWrkRequestsPerSec('  Latency ...\nRequests/sec:  41234.56\nTransfer/sec:      5.1MB\n')).toBe(41234.56);
    expect(parseWrkRequestsPerSec('unable to connect')).toBeUndefined();
  });

  it('prints one aligned row per figure with the ratio column', () => {
    const table = formatTable([
      { label: 'a', value: 200, unit: 'req/s', baseline: 200 },
      { label: 'b', value: 100, unit: 'req/s', baseline: 200, note: 'half' },
      { label: 'c', value: undefined, unit: 'req/s', baseline: 200, note: 'skipped' },
    ]).split('\n');
    expect(table).toHaveLength(5);
    expect(table[2]).toMatch(/^a\s+200\s+req\/s\s+1\.00$/);
    expect(table[3]).toMatch(/0\.50\s+half$/);
    expect(table[4]).toMatch(/n\/a\s+req\/s\s+n\/a\s+skipped$/);
  });
});
