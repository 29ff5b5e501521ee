// junit.xml: one testcase per scenario (and iteration); a mismatch is a failure, could-not-test an error.
import type { RunReport } from './report-model.ts';

export const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as Record<string, string>)[c]};`);

export function renderJunit(report: RunReport): string {
  const cases = report.scenarios.map((s) => {
    const name = escapeXml(report.repeat ? `${s.id} #${s.iteration}` : s.id);
    const open = `    <testcase classname="drainspec.${escapeXml(s.app)}" name="${name}" time="${(s.durationMs / 1000).toFixed(3)}">`;
    const detail = escapeXml([
      `verdict ${s.verdict}${s.primaryClass ? ` (${s.primaryClass})` : ''}; expected ${s.expected.verdict === 'pass' ? 'pass' : `fail with ${s.expected.failureClass}`}`,
      ...s.findings.map((f) => `${f.title}: ${f.requests} requests, ${f.streams} streams${f.pods.length ? `, pods ${f.pods.join(' ')}` : ''}. Fix: ${f.remediation}`),
    ].join('\n'));
    if (s.verdict === 'error') return `${open}\n      <error message="${escapeXml(s.error ?? 'could not test')}">${detail}</error>\n    </testcase>`;
    if (!s.matched) return `${open}\n      <failure message="${escapeXml(s.mismatchReason ?? 'verdict mismatch')}">${detail}</failure>\n    </testcase>`;
    return `${open}\n      <system-out>${detail}</system-out>\n    </testcase>`;
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
