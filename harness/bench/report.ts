// Pure helpers for the benchmark: configuration parsing, ratios and the printed table.

export const DEFAULT_SECONDS = 5;
export const MAX_SECONDS = 300;

/** Seconds per measured client, from BENCH_SECONDS (default 5, 1..300). */
export function benchSeconds(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_SECONDS) throw new Error(`BENCH_SECONDS must be a number in 1..${MAX_SECONDS}, got "${raw}"`);
  return seconds;
}

/** value / baseline, or undefined when either is not a usable number. */
export function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  if (value === undefined || baseline === undefined || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline <= 0) return undefined;
  return value / baseline;
}

export function formatRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(2);
}

/** The machine-readable last line of stdout. */
export function ratioLine(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new Error(`ratio must be a finite non-negative number, got ${value}`);
  return `ratio_vs_autocannon=${value.toFixed(2)}`;
}

export const MIB = 1024 * 1024;

/** Bytes retained per million requests, in MiB (undefined without requests). */
export function mibPerMillion(bytes: number, requests: number): number | undefined {
  if (!Number.isFinite(bytes) || !(requests > 0)) return undefined;
  return ((bytes / requests) * 1e6) / MIB;
}

/** `Requests/sec:   12345.67` from wrk's summary. */
export function parseWrkRequestsPerSec(stdout: string): number | undefined {
  const match = /^Requests\/sec:\s+([\d.]+)\s*$/m.exec(stdout);
  const value = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

export interface Row {
  label: string;
  value: number | undefined;
  unit: string;
  /** Same figure for the autocannon baseline; the ratio column is value / baseline. */
  baseline: number | undefined;
  note?: string;
}

function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'value', 'unit', 'vs autocannon', 'note'];
  const cells = rows.map((r) => [r.label, formatValue(r.value), r.unit, formatRatio(ratio(r.value, r.baseline)), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c.map((cell, i) => (i === 1 || i === 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
