// The mismatched scenarios as plain text: what a failing test says (drainspec/vitest). Per scenario the verdict
// against its expectation, then each finding's class, evidence (diagnosis, an example, pods) and fix.
import type { RunReport, ScenarioReport } from './report-model.ts';
import { coverageSummary, expectedText, modelDetail } from './verdict-text.ts';

function scenarioText(s: ScenarioReport): string[] {
  const deciding = s.models?.[s.decidingModel];
  const got = s.verdict === 'error' ? `could not test: ${s.error ?? coverageSummary(s).text}` : deciding ? `${s.verdict} (${modelDetail(deciding, s)})` : s.verdict;
  const lines = [`✗ ${s.id}${s.iteration > 1 ? ` #${s.iteration}` : ''}: expected ${expectedText(s.expected)}, got ${got} [${s.decidingModel} clients]`];
  if (s.mismatchReason && s.verdict !== 'error') lines.push(`  ${s.mismatchReason}`);
  for (const f of s.findings) {
    const counts = `${f.requests} failed for clients that never retry, ${f.retryingRequests} for retrying clients${f.streams ? `, ${f.streams} streams` : ''}`;
    lines.push(`  ${f.failureClass} — ${f.title} (${counts})`);
    lines.push(`    evidence: ${f.diagnosis}${f.example ? ` e.g. ${f.example}` : ''}${f.pods.length ? ` (pods ${f.pods.join(', ')})` : ''}`);
    if (f.clients) lines.push(`    hurts: ${f.clients}`);
    lines.push(`    fix: ${f.remediation}`);
  }
  return lines;
}

/** Empty when every verdict matched its expectation. */
export function renderMismatchText(report: RunReport, reportHtml?: string): string {
  const mismatched = report.scenarios.filter((s) => !s.matched);
  if (mismatched.length === 0) return '';
  const head = `drainspec: ${mismatched.length} of ${report.summary.scenarios} scenarios not as expected${reportHtml ? ` (report: ${reportHtml})` : ''}`;
  return [head, ...mismatched.flatMap(scenarioText)].join('\n');
}
