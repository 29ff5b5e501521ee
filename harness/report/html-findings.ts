// What report.html says about one scenario's verdict: each client model's verdict and expectation, the coverage,
// and the findings with the clients they hurt and the fix for each client model.
import type { Finding } from '../analysis/evaluate.ts';
import type { FailureClass } from '../analysis/failure-modes.ts';
import type { ClientModel } from '../model/run-data.ts';
import { CLASS_COLOURS } from './html-charts.ts';
import { escapeHtml, prose, unknown } from './html-format.ts';
import type { ModelReport, ScenarioReport } from './report-model.ts';
import { coverageSummary, expectedText, modelDetail } from './verdict-text.ts';

export const MODEL_NAMES: Record<ClientModel, { title: string; who: string }> = {
  strict: { title: 'clients that never retry', who: 'Node\'s http.Agent, POST traffic, most load tools' },
  retrying: { title: 'retrying clients', who: 'retry an idempotent request once on a new connection: Go\'s net/http, browsers' },
};

/** Fixes that differ by client model; any other class has the same fix for both (its remediation). */
const MODEL_FIXES: Partial<Record<FailureClass, Record<ClientModel, string>>> = {
  'keepalive-race': {
    strict: 'Send `Connection: close` on responses during the drain window, so no pooled socket is idle when the server closes it; close idle keep-alive sockets only after that window.',
    retrying: 'Client retries absorb the race for idempotent requests (GET, HEAD) only: rely on them for idempotent traffic only. POST and other non-idempotent requests fail as for clients that never retry, so they need the `Connection: close` fix.',
  },
};

export function modelsTable(s: ScenarioReport): string {
  if (!s.models) return '';
  const row = (model: ClientModel) => {
    const m = (s.models as Record<ClientModel, ModelReport>)[model];
    const deciding = model === s.decidingModel;
    return `<tr class="model ${model}${deciding ? ' deciding' : ''}"><th scope="row">${escapeHtml(MODEL_NAMES[model].title)}${deciding ? ' <span class="decides">decides</span>' : ''}<br><span class="note">${escapeHtml(MODEL_NAMES[model].who)}</span></th>
<td><span class="badge ${m.verdict}">${m.verdict}</span> ${escapeHtml(modelDetail(m, s))}</td><td>${m.failures.total}</td><td>${model === 'strict' ? 'never retries' : m.absorbedRetries}</td>
<td>${escapeHtml(expectedText(m.expected))} ${m.matched ? '<span class="match">✓ as expected</span>' : `<span class="unmatched">✗ ${escapeHtml(m.verdict === 'error' ? 'not as expected' : m.mismatchReason ?? 'not as expected')}</span>`}</td></tr>`;
  };
  return `<table class="models"><thead><tr><th>client model</th><th>verdict</th><th>failed</th><th>absorbed by a retry</th><th>expected</th></tr></thead><tbody>${row('strict')}${row('retrying')}</tbody></table>`;
}

/** The coverage in a few words, unknown and not-exercised marked: `3/3 pods reached (conntrack)`. */
export function coverageText(s: ScenarioReport): string {
  const { state, text } = coverageSummary(s);
  if (state === 'not exercised') return `<span class="badge error">${text}</span>`;
  if (state === 'unknown') return unknown(s.coverage?.note ?? 'coverage unknown', text);
  return escapeHtml(text);
}

export function coverageLine(s: ScenarioReport): string {
  if (!s.coverage) return '';
  return `<p class="coverage"><b>Coverage</b> (did load reach the terminating pods after deletion?): ${coverageText(s)} — ${escapeHtml(s.coverage.note)}.</p>`;
}

function modelFix(f: Finding, model: ClientModel): string {
  const fixes = MODEL_FIXES[f.failureClass];
  if (model === 'strict') return f.requests === 0 ? 'Not hurt by this: nothing to fix.' : fixes?.strict ?? f.remediation;
  if (f.retryingRequests === 0) {
    return f.absorbedRetries === 0 ? 'Not hurt by this: nothing to fix.' : fixes?.retrying ?? `Retries absorbed all ${f.absorbedRetries}: rely on that for idempotent traffic only; other requests need the fix for clients that never retry.`;
  }
  return `${f.absorbedRetries ? `Retries absorbed ${f.absorbedRetries} but ${f.retryingRequests} still failed. ` : ''}${fixes?.strict ?? f.remediation}`;
}

function evidence(f: Finding): string {
  const requests = f.requests + f.retryingRequests + f.absorbedRetries > 0
    ? [`${f.requests} failed requests for clients that never retry`, `${f.retryingRequests} for retrying clients${f.absorbedRetries ? ` (${f.absorbedRetries} absorbed by a retry on a new connection)` : ''}`] : [];
  const parts = [...requests, ...(f.streams ? [`${f.streams} dropped streams`] : []), ...(f.pods.length ? [`pods ${f.pods.join(', ')}`] : [])];
  return `${escapeHtml(parts.join('; '))}.${f.example ? ` Example: <code>${escapeHtml(f.example)}</code>` : ''}`;
}

function finding(f: Finding): string {
  const byModel = f.requests + f.retryingRequests + f.absorbedRetries > 0;
  const fixes = byModel
    ? `<ul class="fixes">${(['strict', 'retrying'] as const).map((m) => `<li class="fix ${m}"><b>Fix for ${escapeHtml(MODEL_NAMES[m].title)}</b> (${escapeHtml(MODEL_NAMES[m].who)}): ${prose(modelFix(f, m))}</li>`).join('')}</ul>`
    : `<p><b>Fix:</b> ${prose(f.remediation)}</p>`;
  return `<div class="finding ${escapeHtml(f.failureClass)}" style="border-color:${CLASS_COLOURS[f.failureClass]}"><h4>${escapeHtml(f.title)} <code>${escapeHtml(f.failureClass)}</code></h4>
<p><b>Evidence:</b> ${evidence(f)}</p>
${f.clients ? `<p class="clients"><b>Hurts:</b> ${escapeHtml(f.clients)}.</p>` : ''}
<p><b>Diagnosis:</b> ${prose(f.diagnosis)}</p>${fixes}</div>`;
}

export function findings(s: ScenarioReport): string {
  const error = s.verdict !== 'error' ? ''
    : `<div class="finding error"><h4>${s.coverage?.exercised === false ? 'Not exercised: a pass here would prove nothing' : 'Could not test'}</h4><p>${escapeHtml(s.error ?? '')}</p></div>\n`;
  if (s.findings.length === 0) return error || '<p class="clean">No failed request, every stream closed cleanly, no SIGKILL.</p>';
  return error + s.findings.map(finding).join('\n');
}
