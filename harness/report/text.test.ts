import { describe, expect, test } from 'vitest';
import { sampleReport } from './sample-report.ts';
import { renderMismatchText } from './text.ts';

describe('mismatch text (what a failing drainspec/vitest test says)', () => {
  test('names each mismatched scenario with its verdict, then every finding’s class, evidence and fix', () => {
    const report = sampleReport();
    const failing = report.scenarios.find((s) => s.id === 'exit-immediately/rollout-restart/fresh');
    if (!failing) throw new Error('sample report changed');
    const text = renderMismatchText({ ...report, scenarios: [{ ...failing, expected: { verdict: 'pass' }, matched: false }] }, 'reports/r1/report.html');
    const lines = text.split('\n');
    expect(lines[0]).toBe('drainspec: 1 of 7 scenarios not as expected (report: reports/r1/report.html)');
    expect(lines[1]).toMatch(/^✗ exit-immediately\/rollout-restart\/fresh: expected pass, got fail \(refused-before-endpoint-removal, \d+ failed\) \[strict clients\]$/);
    expect(text).toMatch(/\n {2}refused-before-endpoint-removal — .*\n {4}evidence: New connections were refused .*ECONNREFUSED/);
    expect(text).toMatch(/\n {4}fix: Keep serving for a drain delay after SIGTERM/);
  });

  test('a scenario that could not test says why', () => {
    const text = renderMismatchText(sampleReport());
    expect(text).toMatch(/^✗ your-app\/scale-down\/fresh: expected pass, got could not test: /m);
  });

  test('nothing when every verdict matched', () => {
    const report = sampleReport();
    expect(renderMismatchText({ ...report, scenarios: report.scenarios.filter((s) => s.matched) })).toBe('');
  });
});
