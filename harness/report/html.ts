// report.html: self-contained (inline CSS and SVG, no script, no network). Verdict summary first, then per
// scenario the findings with their fix, an outcome chart per 100 ms, one swimlane per pod, and drain timings.
import type { FailureClass } from '../analysis/failure-modes.ts';
import type { OutcomeBucket, PodLane, RunReport, ScenarioReport } from './report-model.ts';

export const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const CLASS_COLOURS: Record<FailureClass, string> = {
  'refused-before-endpoint-removal': '#d62728',
  'no-endpoints': '#8c564b',
  'keepalive-race': '#ff7f0e',
  'sigterm-ignored': '#9467bd',
  'grace-too-short': '#e377c2',
  'stream-dropped': '#17becf',
  'bad-status': '#bcbd22',
  'unclean-exit': '#393b79',
  'outside-termination': '#c7c7c7',
  other: '#7f7f7f',
};
const OK_COLOUR = '#2ca02c';
const WIDTH = 960;
const LABEL_WIDTH = 190;
const PLOT = WIDTH - LABEL_WIDTH - 10;

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const x = (atMs: number, endMs: number) => LABEL_WIDTH + (Math.max(0, Math.min(atMs, endMs)) / Math.max(1, endMs)) * PLOT;

function outcomeChart(buckets: OutcomeBucket[], triggerAtMs: number, endMs: number, bucketMs: number): string {
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
  ready: OK_COLOUR, terminating: '#ff7f0e', sigterm: '#d62728', 'endpoint-not-ready': '#1f77b4', 'endpoint-removed': '#1f77b4',
  'last-served': '#000', terminated: '#9467bd', exit: '#9467bd', 'readiness-off': '#bcbd22', 'listener-closed': '#8c564b',
};

/** The distinguishing tail of a pod name (`<replicaset hash>-<suffix>`), so the label fits beside the lane. */
export function shortPodName(pod: string): string {
  const tail = pod.split('-').slice(-2).join('-');
  return tail.length <= 20 ? tail : tail.slice(-20);
}

function swimlanes(lanes: PodLane[], triggerAtMs: number, endMs: number): string {
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

function legend(): string {
  const classes = Object.entries(CLASS_COLOURS).map(([c, colour]) => `<span><i style="background:${colour}"></i>${escapeHtml(c)}</span>`);
  const marks = ['ready', 'terminating', 'sigterm', 'endpoint-not-ready', 'last-served', 'exit'].map((m) => `<span><i class="dot" style="background:${MARK_COLOURS[m]}"></i>${escapeHtml(m)}</span>`);
  return `<p class="legend"><span><i style="background:${OK_COLOUR}"></i>ok</span>${classes.join('')}</p><p class="legend">${marks.join('')}</p>`;
}

function drainTable(s: ScenarioReport): string {
  if (!s.drain || s.drain.pods.length === 0) return '<p>No pod terminated during this scenario.</p>';
  const rows = s.drain.pods.map((d) => `<tr${d.sigkilled ? ' class="killed"' : ''}><td>${escapeHtml(d.pod)}</td><td>${seconds(d.endpointRemovalMs)}</td><td>${seconds(d.sigtermToReadinessOffMs)}</td><td>${seconds(d.sigtermToListenerClosedMs)}</td><td>${seconds(d.sigtermToExitMs)}</td><td>${seconds(d.terminatingToExitMs)}</td><td>${d.servedAfterTerminating}</td><td>${seconds(d.lastServedAfterTerminatingMs)}</td><td>${d.exitCode ?? '–'}${d.sigkilled ? ' SIGKILL' : ''}</td></tr>`);
  return `<table class="drain"><thead><tr><th>pod</th><th>terminating → endpoint not ready</th><th>SIGTERM → readiness off</th><th>SIGTERM → listener closed</th><th>SIGTERM → exit</th><th>terminating → exit</th><th>served after terminating</th><th>last served after terminating</th><th>exit</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">Drain limit ${seconds(s.drain.limitMs)}.</p>`;
}

function findings(s: ScenarioReport): string {
  if (s.verdict === 'error') return `<div class="finding error"><h4>Could not test</h4><p>${escapeHtml(s.error ?? '')}</p></div>`;
  if (s.findings.length === 0) return '<p class="clean">No failed request, every stream closed cleanly, no SIGKILL.</p>';
  return s.findings.map((f) => `<div class="finding" style="border-color:${CLASS_COLOURS[f.failureClass]}"><h4>${escapeHtml(f.title)} <code>${escapeHtml(f.failureClass)}</code></h4>
<p><b>Evidence:</b> ${f.requests} failed requests, ${f.streams} dropped streams${f.pods.length ? `; pods ${escapeHtml(f.pods.join(', '))}` : ''}.${f.example ? ` Example: <code>${escapeHtml(f.example)}</code>` : ''}</p>
<p><b>Diagnosis:</b> ${escapeHtml(f.diagnosis)}</p><p><b>Fix:</b> ${escapeHtml(f.remediation)}</p></div>`).join('\n');
}

const badge = (s: ScenarioReport) => `<span class="badge ${s.verdict}">${s.verdict}</span>${s.matched ? '<span class="badge matched">as expected</span>' : '<span class="badge mismatch">not as expected</span>'}`;
const expectedText = (s: ScenarioReport) => (s.expected.verdict === 'pass' ? 'pass' : `fail with ${s.expected.failureClass}`);
const anchor = (s: ScenarioReport) => `s-${s.iteration}-${s.id.replace(/[^a-z0-9]+/gi, '-')}`;

function scenarioSection(s: ScenarioReport): string {
  const t = s.timeline;
  const totals = s.totals ? `${s.totals.sent} requests: ${s.totals.ok} ok, ${s.totals.failed} failed, ${s.totals.inFlight} in flight at stop` : '';
  const streams = s.streams && s.streams.total > 0 ? `; ${s.streams.total} streams, ${s.streams.cleanlyClosed} closed cleanly, ${s.streams.lostEvents} events lost` : '';
  return `<section class="scenario" id="${anchor(s)}">
<h3>${escapeHtml(s.id)}${s.iteration > 1 ? ` #${s.iteration}` : ''} ${badge(s)}</h3>
<p>Expected: ${escapeHtml(expectedText(s))}.${s.pacing ? ' Load sent back to back on each connection (no rate pacing).' : ''}${s.mismatchReason ? ` <b>${escapeHtml(s.mismatchReason)}</b>.` : ''} ${escapeHtml(totals + streams)}</p>
${findings(s)}
${t ? `<h4>Timeline</h4>${outcomeChart(t.buckets, t.triggerAtMs, t.endMs, t.bucketMs)}${swimlanes(t.pods, t.triggerAtMs, t.endMs)}` : ''}
${s.drain ? `<h4>Drain timings</h4>${drainTable(s)}` : ''}
</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}h1{font-size:22px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;font-size:13px}
.badge{display:inline-block;border-radius:4px;padding:1px 7px;margin-left:6px;font-size:12px;color:#fff;vertical-align:middle}
.badge.pass{background:#2ca02c}.badge.fail{background:#d62728}.badge.error{background:#999}.badge.matched{background:#1f77b4}.badge.mismatch{background:#000}
.finding{border-left:5px solid #999;padding:2px 12px;margin:8px 0;background:#fafafa}.finding h4{margin:6px 0}.finding p{margin:4px 0}
.scenario{border-top:1px solid #ccc;margin-top:22px}.axis{font-size:11px;fill:#555}.pod{font-size:11px;font-family:monospace}
.trigger{stroke:#000;stroke-dasharray:4 3}.baseline{stroke:#999}.life{stroke:#bbb;stroke-width:3}
.legend span{margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}.legend i.dot{border-radius:5px}
tr.killed td{background:#fde0e0}tr.mismatch td{background:#fff3cd}.clean{color:#2ca02c}.note{font-size:12px;color:#555}`;

export function renderHtml(report: RunReport): string {
  const { summary, environment: env, settings } = report;
  const rows = report.scenarios.map((s) => `<tr${s.matched ? '' : ' class="mismatch"'}><td><a href="#${anchor(s)}">${escapeHtml(s.id)}</a>${s.iteration > 1 ? ` #${s.iteration}` : ''}</td><td>${escapeHtml(expectedText(s))}</td><td>${badge(s)}</td><td>${escapeHtml(s.primaryClass ?? (s.verdict === 'error' ? s.error ?? '' : ''))}</td><td>${s.failures.total}</td><td>${seconds(s.drain?.maxSigtermToExitMs)}</td><td>${seconds(s.drain?.maxEndpointRemovalMs)}</td></tr>`);
  const listed = (entries: { id: string; verdicts: string[] }[]) => escapeHtml(entries.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; '));
  const repeat = report.repeat ? `<p>${report.repeat.identical ? `Verdicts identical across ${report.repeat.iterations} iterations.` : `Verdicts differed across ${report.repeat.iterations} iterations: ${listed(report.repeat.differences)}`}${report.repeat.classVariations.length ? ` Same verdict, different strongest failure class: ${listed(report.repeat.classVariations)}.` : ''}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>drainspec ${escapeHtml(report.runId)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>drainspec run ${escapeHtml(report.runId)}: ${summary.mismatched === 0 ? 'every verdict as expected' : `${summary.mismatched} of ${summary.scenarios} verdicts not as expected`}</h1>
<p>${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test · ${escapeHtml(report.startedAt)} · ${seconds(report.durationMs)}</p>
${repeat}
<table class="summary"><thead><tr><th>scenario</th><th>expected</th><th>verdict</th><th>failure class</th><th>failed</th><th>max SIGTERM → exit</th><th>max endpoint removal</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Environment</h2>
<table class="environment"><tbody>
<tr><th>provider / context</th><td>${escapeHtml(env.provider)} / ${escapeHtml(env.context)}</td></tr>
<tr><th>Kubernetes</th><td>${escapeHtml(env.kubernetesVersion)} on ${env.nodes} nodes</td></tr>
<tr><th>kube-proxy</th><td>${escapeHtml(env.kubeProxyMode)}, minSyncPeriod ${escapeHtml(env.minSyncPeriod)}</td></tr>
<tr><th>CNI</th><td>${escapeHtml(env.cni)}</td></tr><tr><th>node image</th><td>${escapeHtml(env.nodeImage)}</td></tr>
<tr><th>app image</th><td>${escapeHtml(settings.image)}</td></tr>
<tr><th>rollout</th><td>${settings.replicas} replicas, terminationGracePeriodSeconds ${settings.terminationGracePeriodSeconds}, drain delay ${settings.drainDelayMs} ms, preStop ${settings.preStopSleepSeconds} s</td></tr>
<tr><th>load</th><td>${settings.connections} connections, ${settings.requestsPerSecond} req/s, timeout ${settings.requestTimeoutMs} ms; thresholds: ≤ ${settings.thresholds.maxFailedRequests} failed, drain ≤ ${settings.thresholds.maxDrainMs || 'grace period'}${settings.thresholds.maxDrainMs ? ' ms' : ''}</td></tr>
</tbody></table>
<h2>Scenarios</h2>
${legend()}
${report.scenarios.map(scenarioSection).join('\n')}
</body></html>
`;
}
