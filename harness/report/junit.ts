// junit.xml: one testcase per scenario (and iteration); the deciding client model's mismatch is a failure,
// could-not-test and not-exercised an error. Both models' verdicts and the coverage are in the message and output.
import { CLIENT_MODELS, type ClientModel } from '../model/run-data.ts';
import type { ModelReport, RunReport, ScenarioReport } from './report-model.ts';
import { coverageSummary, expectedText, modelDetail } from './verdict-text.ts';

export const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as Record<string, string>)[c]};`);

/** `strict: fail (keepalive-race, 6 failed); retrying: pass (6 absorbed by retries)`. */
function modelsLine(s: ScenarioReport, models: Record<ClientModel, ModelReport>): string {
  return CLIENT_MODELS.map((model) => `${model}: ${models[model].verdict} (${modelDetail(models[model], s)})`).join('; ');
}

function detail(s: ScenarioReport): string {
  const { models: reports } = s;
  const models = reports ? CLIENT_MODELS.map((model) => {
    const m = reports[model];
    return `${model}${model === s.decidingModel ? ' (deciding)' : ''}: ${m.verdict} (${modelDetail(m, s)}); expected ${expectedText(m.expected)}: ${m.matched ? 'as expected' : `NOT as expected${m.verdict === 'error' || !m.mismatchReason ? '' : `, ${m.mismatchReason}`}`}`;
  }) : [`${s.decidingModel} (deciding): ${s.verdict}; expected ${expectedText(s.expected)}`];
  const coverage = s.coverage ? [`coverage: ${coverageSummary(s).text}: ${s.coverage.note}`] : [];
  const findings = s.findings.map((f) => `${f.title}: strict ${f.requests} failed, retrying ${f.retryingRequests} failed${f.absorbedRetries ? ` (${f.absorbedRetries} absorbed by retries)` : ''}, ${f.streams} streams${f.pods.length ? `, pods ${f.pods.join(' ')}` : ''}.${f.clients ? ` Hurts: ${f.clients}.` : ''} Fix: ${f.remediation}`);
  return escapeXml([...models, ...coverage, ...findings].join('\n'));
}

export function renderJunit(report: RunReport): string {
  const cases = report.scenarios.map((s) => {
    const name = escapeXml(report.repeat ? `${s.id} #${s.iteration}` : s.id);
    const open = `    <testcase classname="drainspec.${escapeXml(s.app)}" name="${name}" time="${(s.durationMs / 1000).toFixed(3)}">`;
    const verdicts = s.models ? ` [${modelsLine(s, s.models)}]` : '';
    if (s.verdict === 'error') return `${open}\n      <error message="${escapeXml(`${s.error ?? 'could not test'}${verdicts}`)}">${detail(s)}</error>\n    </testcase>`;
    if (!s.matched) return `${open}\n      <failure message="${escapeXml(`${s.mismatchReason ?? 'verdict mismatch'}${verdicts}`)}">${detail(s)}</failure>\n    </testcase>`;
    return `${open}\n      <system-out>${detail(s)}</system-out>\n    </testcase>`;
  });
  const { summary } = report;
  const failures = report.scenarios.filter((s) => !s.matched && s.verdict !== 'error').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="drainspec" tests="${summary.scenarios}" failures="${failures}" errors="${summary.errors}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="drainspec ${escapeXml(report.runId)}" tests="${summary.scenarios}" failures="${failures}" errors="${summary.errors}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
