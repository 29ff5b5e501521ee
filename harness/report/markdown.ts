// summary.md: the verdict table (also appended to $GITHUB_STEP_SUMMARY in GitHub Actions).
import type { RunReport } from './report-model.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(report: RunReport): string {
  const { summary, environment: env } = report;
  const icon = (matched: boolean, verdict: string) => (verdict === 'error' ? '⚠️' : matched ? '✅' : '❌');
  const rows = report.scenarios.map((s) => {
    const expected = s.expected.verdict === 'pass' ? 'pass' : `fail: ${s.expected.failureClass}`;
    const got = s.verdict === 'error' ? `error: ${s.error ?? ''}` : s.verdict === 'fail' ? `fail: ${s.primaryClass ?? '?'}` : 'pass';
    const drain = s.drain?.maxSigtermToExitMs !== undefined ? `${(s.drain.maxSigtermToExitMs / 1000).toFixed(1)} s` : '–';
    return `| ${icon(s.matched, s.verdict)} | ${cell(s.id)}${report.repeat ? ` #${s.iteration}` : ''} | ${cell(expected)} | ${cell(got)} | ${s.failures.total} | ${drain} |`;
  });
  const lines = [
    `## drainspec ${report.runId}: ${summary.mismatched === 0 ? 'every verdict as expected' : `${summary.mismatched} of ${summary.scenarios} verdicts not as expected`}`,
    '',
    `Kubernetes ${env.kubernetesVersion}, kube-proxy ${env.kubeProxyMode} (minSyncPeriod ${env.minSyncPeriod}), CNI ${env.cni}, ${env.nodes} nodes. ${summary.passed} pass, ${summary.failed} fail, ${summary.errors} could not test.`,
    '',
    '| | scenario | expected | verdict | failed | max SIGTERM→exit |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
  if (report.repeat) {
    lines.push('', report.repeat.identical
      ? `Verdicts identical across ${report.repeat.iterations} iterations.`
      : `Verdicts differed across ${report.repeat.iterations} iterations: ${report.repeat.differences.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; ')}.`);
    if (report.repeat.classVariations.length > 0) lines.push('', `Same verdict, different strongest failure class: ${report.repeat.classVariations.map((d) => `${d.id} (${d.verdicts.join(' / ')})`).join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}
