// report.html: self-contained (inline CSS and SVG, no script, no network). Verdict summary first (both client
// models, coverage), then per scenario the verdicts, the findings with their fix, an outcome chart per 100 ms, one
// swimlane per pod, and the drain table.
import type { ClientModel } from '../model/run-data.ts';
import { legend, outcomeChart, swimlanes } from './html-charts.ts';
import { drainTable } from './html-drain-table.ts';
import { coverageLine, coverageText, findings, MODEL_NAMES, modelsTable } from './html-findings.ts';
import { escapeHtml, seconds, unknown } from './html-format.ts';
import type { RunReport, ScenarioReport } from './report-model.ts';
import { expectedText, modelDetail } from './verdict-text.ts';

const badge = (s: ScenarioReport) => `<span class="badge ${s.verdict}">${s.verdict}</span>${s.matched ? '<span class="badge matched">as expected</span>' : '<span class="badge mismatch">not as expected</span>'}`;
const anchor = (s: ScenarioReport) => `s-${s.iteration}-${s.id.replace(/[^a-z0-9]+/gi, '-')}`;

function modelCell(s: ScenarioReport, model: ClientModel): string {
  const m = s.models?.[model];
  if (!m) return '';
  const deciding = model === s.decidingModel;
  return `<td class="model ${model}${deciding ? ' deciding' : ''}"><span class="badge ${m.verdict}">${m.verdict}</span> ${escapeHtml(modelDetail(m, s))}${deciding ? ' <span class="decides">decides</span>' : ''}
<br><span class="expect">expected ${escapeHtml(expectedText(m.expected))} ${m.matched ? '<span class="match">✓</span>' : '<span class="unmatched">✗</span>'}</span></td>`;
}

/** The longest of a drain measure over the scenario's pods, or why there is none. */
function longest(s: ScenarioReport, ms: number | undefined, why: string, limitMs = Infinity): string {
  if (!s.drain || s.drain.pods.length === 0) return 'no pod terminated';
  if (ms === undefined) return unknown(why);
  return ms > limitMs ? `<b class="over">${seconds(ms)} (limit ${seconds(limitMs)})</b>` : seconds(ms);
}

function summaryRow(s: ScenarioReport): string {
  const name = `<td><a href="#${anchor(s)}">${escapeHtml(s.id)}</a>${s.iteration > 1 ? ` #${s.iteration}` : ''}</td>`;
  if (!s.models) return `<tr class="mismatch">${name}<td colspan="5" class="error"><span class="badge error">error</span> could not test: ${escapeHtml(s.error ?? '')}</td></tr>`;
  return `<tr${s.matched ? '' : ' class="mismatch"'}>${name}${modelCell(s, 'strict')}${modelCell(s, 'retrying')}<td class="coverage">${coverageText(s)}</td>
<td>${longest(s, s.drain?.maxDrainMs, 'drain unknown for every pod: no SIGTERM line from the app, and no exit or no preStop of known length', s.drain?.limitMs)}</td>
<td>${longest(s, s.drain?.maxEndpointRemovalMs, 'the EndpointSlice watch saw no change for the terminating pods')}</td></tr>`;
}

/** The path the load took, and what the proxy's own log showed when it went through the ingress. */
function pathLine(s: ScenarioReport): string {
  if (s.via !== 'ingress') return '<p class="path"><b>Path</b>: client → NodePort → kube-proxy → pod.</p>';
  const proxy = !s.proxy ? '' : 'unavailable' in s.proxy ? ` Proxy evidence unavailable: ${escapeHtml(s.proxy.unavailable)}.`
    : ` ${escapeHtml(s.proxy.name)}: ${s.proxy.lines} access log lines, ${s.proxy.errorCount} errors it answered itself${s.proxy.errorCount > 0 ? ` (${escapeHtml(proxyStatuses(s.proxy.errors))})` : ''}.`;
  return `<p class="path"><b>Path</b>: client → NodePort → ingress proxy → pod.${proxy}</p>`;
}

const proxyStatuses = (errors: readonly { status: number }[]): string => {
  const counts = new Map<number, number>();
  for (const e of errors) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} × ${status}`).join(', ');
};

function scenarioSection(s: ScenarioReport): string {
  const t = s.timeline;
  const totals = s.totals ? `${s.totals.sent} requests: ${s.totals.ok} ok, ${s.totals.failed} failed, ${s.totals.inFlight} in flight at stop` : '';
  const streams = s.streams && s.streams.total > 0 ? `; ${s.streams.total} streams, ${s.streams.cleanlyClosed} closed cleanly, ${s.streams.lostEvents} events lost` : '';
  const mismatch = s.mismatchReason && s.mismatchReason !== s.error ? ` <b>Not as expected: ${escapeHtml(s.mismatchReason)}</b>.` : '';
  return `<section class="scenario" id="${anchor(s)}">
<h3>${escapeHtml(s.id)}${s.iteration > 1 ? ` #${s.iteration}` : ''} ${badge(s)}</h3>
<p>${escapeHtml(totals + streams)}${s.pacing ? ' Load sent back to back on each connection (no rate pacing).' : ''}${mismatch}</p>
${s.starved ? `<p class="starved"><b>No verdict: ${escapeHtml(s.starved)}.</b> Its own delays could have made or hidden failures; run it again with fewer scenarios at once.</p>` : ''}
${pathLine(s)}
${modelsTable(s)}
${coverageLine(s)}
${findings(s)}
${t ? `<h4>Timeline</h4>${outcomeChart(t.buckets, t.triggerAtMs, t.endMs, t.bucketMs)}${swimlanes(t.pods, t.triggerAtMs, t.endMs)}` : ''}
${s.drain ? `<h4>Drain timings</h4>${drainTable(s)}` : ''}
</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}h1{font-size:22px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;font-size:13px;vertical-align:top}
.badge{display:inline-block;border-radius:4px;padding:1px 7px;margin-left:6px;font-size:12px;color:#fff;vertical-align:middle}
td .badge:first-child{margin-left:0}.badge.pass{background:#2ca02c}.badge.fail{background:#d62728}.badge.error{background:#777}.badge.matched{background:#1f77b4}.badge.mismatch{background:#000}
.finding{border-left:5px solid #999;padding:2px 12px;margin:8px 0;background:#fafafa}.finding h4{margin:6px 0}.finding p{margin:4px 0}.fixes{margin:4px 0;padding-left:20px}
.scenario{border-top:1px solid #ccc;margin-top:22px}.axis{font-size:11px;fill:#555}.pod{font-size:11px;font-family:monospace}
.trigger{stroke:#000;stroke-dasharray:4 3}.baseline{stroke:#999}.life{stroke:#bbb;stroke-width:3}
.legend span{margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}.legend i.dot{border-radius:5px}
td.killed,th.killed{background:#fde0e0}tr.mismatch td{background:#fff3cd}.clean{color:#2ca02c}.note,.expect,.why{font-size:12px;color:#555}
td.deciding,tr.deciding th{box-shadow:inset 3px 0 0 #1f77b4}.decides{font-size:11px;color:#1f77b4;font-weight:bold;text-transform:uppercase}
.match{color:#2ca02c;font-weight:bold}.unmatched{color:#b00;font-weight:bold}th .note{font-weight:normal}.over,td.over{color:#b00;font-weight:bold}
abbr.unknown{font-weight:bold;color:#8a5a00;background:#fff4d6;border:1px dashed #c90;border-radius:3px;padding:0 4px;text-decoration:none;cursor:help}
table.drain tr.group th{background:#f0f0f0;font-weight:bold}table.drain td.from{font-size:12px;color:#555;max-width:330px}
table.drain th[scope=row]{font-weight:normal;white-space:nowrap}.scroll{overflow-x:auto}`;

function environment(report: RunReport): string {
  const { environment: env, settings } = report;
  const rollout = settings.appRollout ?? `terminationGracePeriodSeconds ${settings.terminationGracePeriodSeconds}${settings.drainDelayMs !== undefined ? `, drain delay ${settings.drainDelayMs} ms` : ''}${settings.preStopSleepSeconds !== undefined ? `, preStop ${settings.preStopSleepSeconds} s` : ''}`;
  return `<table class="environment"><tbody>
<tr><th>provider / context</th><td>${escapeHtml(env.provider)} / ${escapeHtml(env.context)}</td></tr>
<tr><th>Kubernetes</th><td>${escapeHtml(env.kubernetesVersion)} on ${env.nodes} nodes</td></tr>
<tr><th>kube-proxy</th><td>${escapeHtml(env.kubeProxyMode)}, minSyncPeriod ${escapeHtml(env.minSyncPeriod)}</td></tr>
<tr><th>CNI</th><td>${escapeHtml(env.cni)}</td></tr><tr><th>node image</th><td>${escapeHtml(env.nodeImage)}</td></tr>
<tr><th>app image</th><td>${escapeHtml(settings.image)}</td></tr>
<tr><th>rollout</th><td>${settings.replicas} replicas; ${escapeHtml(rollout)}</td></tr>
<tr><th>load</th><td>${settings.connections} connections, ${settings.requestsPerSecond} req/s, timeout ${settings.requestTimeoutMs} ms; thresholds: ≤ ${settings.thresholds.maxFailedRequests} failed, drain ≤ ${settings.thresholds.maxDrainMs || 'grace period'}${settings.thresholds.maxDrainMs ? ' ms' : ''}</td></tr>
</tbody></table>`;
}

const SUMMARY_NOTE = `Each scenario is judged twice from the same run: for ${MODEL_NAMES.strict.title} (${MODEL_NAMES.strict.who}) and for ${MODEL_NAMES.retrying.title} (${MODEL_NAMES.retrying.who}). <span class="decides">decides</span> marks the model whose verdict is the scenario's (config <code>clients</code>); ✓ / ✗ compare each model's verdict with what the catalogue expects for it. Coverage says whether load reached the terminating pods after their deletion (from the response header or the nodes' conntrack): a pass without it would prove nothing, so it is an error, <i>not exercised</i>; <abbr class="unknown">unknown</abbr> when neither source attributes load to pods (hover, or see the scenario, for why).`;

export function renderHtml(report: RunReport): string {
  const { summary } = report;
  const listed = (entries: { id: string; verdicts: string[] }[]) => escapeHtml(entries.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; '));
  const repeat = report.repeat ? `<p>${report.repeat.identical ? `Verdicts identical across ${report.repeat.iterations} iterations.` : `Verdicts differed across ${report.repeat.iterations} iterations: ${listed(report.repeat.differences)}`}${report.repeat.classVariations.length ? ` Same verdict, different strongest failure class: ${listed(report.repeat.classVariations)}.` : ''}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>drainspec ${escapeHtml(report.runId)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>drainspec run ${escapeHtml(report.runId)}: ${summary.mismatched === 0 ? 'every verdict as expected' : `${summary.mismatched} of ${summary.scenarios} verdicts not as expected`}</h1>
<p>${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test or not exercised · ${escapeHtml(report.startedAt)} · ${seconds(report.durationMs)}</p>
${repeat}
<table class="summary"><thead><tr><th>scenario</th><th>${escapeHtml(MODEL_NAMES.strict.title)}</th><th>${escapeHtml(MODEL_NAMES.retrying.title)}</th><th>coverage</th><th>longest drain</th><th>longest deletion → endpoint not ready</th></tr></thead><tbody>${report.scenarios.map(summaryRow).join('\n')}</tbody></table>
<p class="note">${SUMMARY_NOTE}</p>
<h2>Environment</h2>
${environment(report)}
<h2>Scenarios</h2>
${legend()}
${report.scenarios.map(scenarioSection).join('\n')}
</body></html>
`;
}
