// The words every report view uses for a client model's verdict, an expectation and the coverage, so that
// report.html, junit.xml and summary.md say the same thing.
import type { ExpectedOutcome } from '../scenarios/catalogue.ts';
import type { ModelReport, ScenarioReport } from './report-model.ts';

export const expectedText = (expected: ExpectedOutcome) => (expected.verdict === 'pass' ? 'pass' : `fail with ${expected.failureClass}`);

/** A model's verdict in a few words, without the verdict itself: `keepalive-race, 6 failed`, `6 absorbed by retries`. */
export function modelDetail(m: ModelReport, s: ScenarioReport): string {
  if (m.verdict === 'fail') return `${m.primaryClass ?? '?'}, ${m.failures.total} failed`;
  if (m.verdict === 'error') return s.starved ? 'harness starved' : s.coverage?.exercised === false ? 'not exercised' : 'could not test';
  return m.absorbedRetries > 0 ? `${m.absorbedRetries} absorbed by retries` : 'no failure';
}

export type CoverageState = 'reached' | 'unknown' | 'not exercised' | 'not measured';

/** Coverage in a few words (`3/3 pods reached (conntrack)`) and which state it is, for the views to mark. */
export function coverageSummary(s: ScenarioReport): { state: CoverageState; text: string } {
  const c = s.coverage;
  if (!c) return { state: 'not measured', text: 'not measured' };
  if (c.exercised === false) return { state: 'not exercised', text: 'not exercised' };
  if (c.exercised === undefined) return { state: 'unknown', text: 'unknown' };
  const reached = c.pods.filter((p) => (p.requestsAfterDeletion ?? 0) > 0 || (p.connectionsAfterDeletion ?? 0) > 0).length;
  return { state: 'reached', text: reached > 0 ? `${reached}/${c.pods.length} pods reached (${c.source})` : `reached: ${c.note}` };
}
