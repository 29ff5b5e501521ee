// summary.md: the verdict table (also appended to $GITHUB_STEP_SUMMARY in GitHub Actions): one column per client
// model, the deciding one in bold, and the coverage.
import type { ClientModel } from '../model/run-data.ts';
import type { RunReport, ScenarioReport } from './report-model.ts';
import { coverageSummary, expectedText, modelDetail } from './verdict-text.ts';

/** One table cell: pipes escaped, one line, and no raw HTML (GitHub renders HTML in step summaries). */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `**fail: keepalive-race, 6 failed** ✓` — bold when it decides; ✗ with the expectation when it is not met. */
function modelCell(s: ScenarioReport, model: ClientModel): string {
  const m = s.models?.[model];
  if (!m) return model === s.decidingModel ? `**error: ${s.error ?? 'could not test'}**` : 'error';
  const verdict = `${m.verdict}: ${modelDetail(m, s)}`;
  return `${model === s.decidingModel ? `**${verdict}**` : verdict} ${m.matched ? '✓' : `✗ expected ${expectedText(m.expected)}`}`;
}

function longestDrain(s: ScenarioReport): string {
  if (!s.drain) return 'not measured';
  if (s.drain.pods.length === 0) return 'no pod terminated';
  const ms = s.drain.maxDrainMs;
  return ms === undefined ? '? (unknown)' : `${(ms / 1000).toFixed(2)} s${ms > s.drain.limitMs ? ` (over the ${(s.drain.limitMs / 1000).toFixed(2)} s limit)` : ''}`;
}

export function renderMarkdown(report: RunReport): string {
  const { summary, environment: env } = report;
  const icon = (s: ScenarioReport) => (s.verdict === 'error' ? '⚠️' : s.matched ? '✅' : '❌');
  const rows = report.scenarios.map((s) => {
    const coverage = coverageSummary(s);
    const coverageText = coverage.state === 'not exercised' ? '⚠️ not exercised' : coverage.state === 'unknown' ? '? unknown' : coverage.text;
    return `| ${icon(s)} | ${cell(s.id)}${report.repeat ? ` #${s.iteration}` : ''} | ${cell(modelCell(s, 'strict'))} | ${cell(modelCell(s, 'retrying'))} | ${cell(coverageText)} | ${longestDrain(s)} |`;
  });
  const lines = [
    `## drainspec ${report.runId}: ${summary.mismatched === 0 ? 'every verdict as expected' : `${summary.mismatched} of ${summary.scenarios} verdicts not as expected`}`,
    '',
    `Kubernetes ${env.kubernetesVersion}, kube-proxy ${env.kubeProxyMode} (minSyncPeriod ${env.minSyncPeriod}), CNI ${env.cni}, ${env.nodes} nodes. ${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test or not exercised.`,
    '',
    '| | scenario | clients that never retry | retrying clients | coverage | longest drain |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Bold: the client model that decides the verdict. ✓ / ✗: as the catalogue expects for that model. Coverage: whether load reached the terminating pods after deletion (a pass without it is an error, not exercised); ? unknown: the run\'s evidence cannot tell (see report.html).',
  ];
  if (report.repeat) {
    lines.push('', report.repeat.identical
      ? `Verdicts identical across ${report.repeat.iterations} iterations.`
      : `Verdicts differed across ${report.repeat.iterations} iterations: ${report.repeat.differences.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; ')}.`);
    if (report.repeat.classVariations.length > 0) lines.push('', `Same verdict, different strongest failure class: ${report.repeat.classVariations.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}
