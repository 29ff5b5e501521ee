// The hand-drawn inline SVG of report.html: request outcomes per 100 ms, one swimlane per pod, and their legend.
import type { FailureClass } from '../analysis/failure-modes.ts';
import { escapeHtml, shortPodName } from './html-format.ts';
import type { OutcomeBucket, PodLane } from './report-model.ts';

export const CLASS_COLOURS: Record<FailureClass, string> = {
  'refused-before-endpoint-removal': '#d62728',
  'no-endpoints': '#8c564b',
  'keepalive-race': '#ff7f0e',
  'sigterm-ignored': '#9467bd',
  'grace-too-short': '#e377c2',
  'stream-dropped': '#17becf',
  'proxy-upstream-failed': '#b5651d',
  'proxy-no-endpoints': '#5d4037',
  'bad-status': '#bcbd22',
  'unclean-exit': '#393b79',
  'outside-termination': '#c7c7c7',
  other: '#7f7f7f',
};
const OK_COLOUR = '#2ca02c';
const WIDTH = 960;
const LABEL_WIDTH = 190;
const PLOT = WIDTH - LABEL_WIDTH - 10;

const x = (atMs: number, endMs: number) => LABEL_WIDTH + (Math.max(0, Math.min(atMs, endMs)) / Math.max(1, endMs)) * PLOT;

export function outcomeChart(buckets: OutcomeBucket[], triggerAtMs: number, endMs: number, bucketMs: number): string {
  const height = 110;
  const totals = buckets.map((b) => b.ok + Object.values(b.failed).reduce((n, v) => n + (v ?? 0), 0));
  const peak = Math.max(1, ...totals);
  const barWidth = Math.max(0.5, (bucketMs / Math.max(1, endMs)) * PLOT);
  const bars: string[] = [];
  buckets.forEach((b) => {
    let y = height;
    const stack: [string, number, string][] = [[OK_COLOUR, b.ok, 'ok'], ...Object.entries(b.failed).map(([c, n]): [string, number, string] => [CLASS_COLOURS[c as FailureClass] ?? '#000', n ?? 0, c])];
    for (const [colour, n, label] of stack) {
      if (n === 0) continue;
      const h = Math.max(1, (n / peak) * (height - 10));
      y -= h;
      bars.push(`<rect class="bar ${label === 'ok' ? 'ok' : 'failed'}" x="${x(b.atMs, endMs).toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(2)}" height="${h.toFixed(1)}" fill="${colour}"><title>${(b.atMs / 1000).toFixed(1)} s: ${n} ${escapeHtml(label)}</title></rect>`);
    }
  });
  const tx = x(triggerAtMs, endMs).toFixed(1);
  return `<svg class="outcomes" viewBox="0 0 ${WIDTH} ${height + 18}" width="100%" role="img" aria-label="request outcomes per ${bucketMs} ms">
<text x="0" y="14" class="axis">requests / ${bucketMs} ms (peak ${peak})</text>
<line x1="${LABEL_WIDTH}" y1="${height}" x2="${WIDTH - 10}" y2="${height}" class="baseline"/>
${bars.join('\n')}
<line x1="${tx}" y1="0" x2="${tx}" y2="${height}" class="trigger"/><text x="${tx}" y="${height + 14}" class="axis">trigger</text>
<text x="${WIDTH - 10}" y="${height + 14}" class="axis" text-anchor="end">${(endMs / 1000).toFixed(1)} s</text>
</svg>`;
}

const MARK_COLOURS: Record<string, string> = {
  ready: OK_COLOUR, terminating: '#ff7f0e', sigterm: '#d62728', 'endpoint-not-ready': '#1f77b4', 'endpoint-not-serving': '#17becf',
  'endpoint-removed': '#1f77b4', 'last-served': '#000', terminated: '#9467bd', exit: '#9467bd', 'readiness-off': '#bcbd22',
  'listener-closed': '#8c564b', 'idle-closed': '#e377c2',
};

export function swimlanes(lanes: PodLane[], triggerAtMs: number, endMs: number): string {
  const row = 26;
  const height = lanes.length * row + 6;
  const rows = lanes.map((lane, i) => {
    const y = 14 + i * row;
    const first = lane.marks[0]?.atMs ?? 0;
    const last = lane.marks.at(-1)?.atMs ?? first;
    const killed = lane.exitCode === 137;
    const marks = lane.marks.map((m) => `<circle cx="${x(m.atMs, endMs).toFixed(1)}" cy="${y}" r="4.5" fill="${MARK_COLOURS[m.kind] ?? '#555'}" class="mark ${escapeHtml(m.kind)}"><title>${escapeHtml(lane.pod)}: ${escapeHtml(m.label)} at ${(m.atMs / 1000).toFixed(2)} s</title></circle>`);
    return `<g class="lane${killed ? ' killed' : ''}"><text x="0" y="${y + 4}" class="pod"><title>${escapeHtml(lane.pod)}</title>${escapeHtml(shortPodName(lane.pod))}${lane.exitCode !== undefined ? ` exit ${lane.exitCode}` : ''}</text>
<line x1="${x(first, endMs).toFixed(1)}" y1="${y}" x2="${x(last, endMs).toFixed(1)}" y2="${y}" class="life"/>${marks.join('')}</g>`;
  });
  const tx = x(triggerAtMs, endMs).toFixed(1);
  return `<svg class="swimlanes" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="pod swimlanes">
<line x1="${tx}" y1="0" x2="${tx}" y2="${height}" class="trigger"/>
${rows.join('\n')}
</svg>`;
}

export function legend(): string {
  const classes = Object.entries(CLASS_COLOURS).map(([c, colour]) => `<span><i style="background:${colour}"></i>${escapeHtml(c)}</span>`);
  const marks = ['ready', 'terminating', 'sigterm', 'endpoint-not-ready', 'endpoint-not-serving', 'last-served', 'exit'].map((m) => `<span><i class="dot" style="background:${MARK_COLOURS[m]}"></i>${escapeHtml(m)}</span>`);
  return `<p class="legend"><span><i style="background:${OK_COLOUR}"></i>ok</span>${classes.join('')}</p><p class="legend">${marks.join('')}</p>`;
}
