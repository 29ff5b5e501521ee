// The verdict of one scenario from its timeline: failures by class, drain timings, and whether that matches
// what the catalogue expected (pure; the report renders this, the suites assert on it).
import type { RequestTotals, Timeline } from '../model/run-data.ts';
import type { ExpectedOutcome } from '../scenarios/catalogue.ts';
import { killClass, killsOf, requestClassifier, streamFailed } from './classify.ts';
import { drainTimings, type PodDrain } from './drain-timings.ts';
import { FAILURE_MODES, type FailureClass } from './failure-modes.ts';
import { podFacts } from './pod-facts.ts';

export type Verdict = 'pass' | 'fail' | 'error';

export interface Thresholds {
  maxFailedRequests: number;
  /** Longest tolerated SIGTERM → exit; the grace period when 0. */
  maxDrainMs: number;
}

export interface Finding {
  failureClass: FailureClass;
  title: string;
  diagnosis: string;
  remediation: string;
  /** Failed requests (or streams) of this class. */
  requests: number;
  streams: number;
  /** Pods whose own behaviour shows the mode (SIGKILLed, drained too long). */
  pods: string[];
  /** One example, for the report: a request's error or a pod's exit. */
  example?: string;
}

export interface ScenarioAnalysis {
  verdict: Verdict;
  /** The class with the most evidence; absent on pass. */
  primaryClass?: FailureClass;
  failures: { total: number; byClass: Partial<Record<FailureClass, number>> };
  findings: Finding[];
  totals: RequestTotals;
  streams: { total: number; cleanlyClosed: number; dropped: number; lostEvents: number; duplicatedEvents: number };
  drain: {
    pods: PodDrain[];
    maxSigtermToExitMs?: number;
    maxEndpointRemovalMs?: number;
    maxTerminatingToExitMs?: number;
    sigkilled: number;
    servedAfterTerminating: number;
    limitMs: number;
  };
}

export function evaluateTimeline(timeline: Timeline, totals: RequestTotals, thresholds: Thresholds): ScenarioAnalysis {
  const facts = podFacts(timeline);
  const kills = killsOf(facts.values());
  const classifier = requestClassifier(timeline, kills);
  const findings = new Map<FailureClass, Finding>();
  const finding = (failureClass: FailureClass): Finding => {
    let f = findings.get(failureClass);
    if (!f) {
      const { title, diagnosis, remediation } = FAILURE_MODES[failureClass];
      f = { failureClass, title, diagnosis, remediation, requests: 0, streams: 0, pods: [] };
      findings.set(failureClass, f);
    }
    return f;
  };

  for (const r of timeline.requests) {
    if (r.outcome !== 'failed') continue;
    const f = finding(classifier.classify(r));
    f.requests += 1;
    f.example ??= `${r.client} ${r.path} ${r.reusedSocket ? 'reused' : 'fresh'} socket: ${r.errorCode ?? 'error'}${r.errorDetail ? ` (${r.errorDetail})` : ''}${r.status ? ` status ${r.status}` : ''}`;
  }
  let lostEvents = 0;
  let duplicatedEvents = 0;
  let dropped = 0;
  for (const s of timeline.streams) {
    lostEvents += s.lostEvents;
    duplicatedEvents += s.duplicatedEvents;
    if (!streamFailed(s)) continue;
    dropped += 1;
    const f = finding('stream-dropped');
    f.streams += 1;
    f.example ??= `${s.kind} stream ${s.seq}${s.pod ? ` on ${s.pod}` : ''} ended by ${s.end}${s.lostEvents ? `, ${s.lostEvents} events lost` : ''}`;
  }
  for (const k of kills) {
    const f = finding(killClass(k));
    f.pods.push(k.pod);
    f.example ??= `${k.pod} exited 137 (SIGKILL)${k.sawSigterm ? ' after logging SIGTERM' : ' without ever logging SIGTERM'}`;
  }

  const drains = drainTimings(timeline, facts);
  const limitMs = thresholds.maxDrainMs > 0 ? thresholds.maxDrainMs : timeline.gracePeriodSeconds * 1000;
  for (const d of drains) {
    if (d.sigkilled || d.sigtermToExitMs === undefined || d.sigtermToExitMs <= limitMs) continue;
    const f = finding('grace-too-short');
    f.pods.push(d.pod);
    f.example ??= `${d.pod} took ${d.sigtermToExitMs} ms from SIGTERM to exit (limit ${limitMs} ms)`;
  }

  const byClass: Partial<Record<FailureClass, number>> = {};
  let failedRequests = 0;
  for (const f of findings.values()) {
    byClass[f.failureClass] = f.requests + f.streams;
    failedRequests += f.requests;
  }
  const ordered = [...findings.values()].sort((a, b) => weight(b) - weight(a));
  const failed = failedRequests > thresholds.maxFailedRequests || ordered.some((f) => f.streams > 0 || f.pods.length > 0);
  const max = (values: (number | undefined)[]) => values.reduce<number | undefined>((m, v) => (v === undefined ? m : Math.max(m ?? v, v)), undefined);
  return {
    verdict: failed ? 'fail' : 'pass',
    primaryClass: failed ? ordered[0]?.failureClass : undefined,
    failures: { total: failedRequests + dropped, byClass },
    findings: ordered,
    totals,
    streams: { total: timeline.streams.length, cleanlyClosed: timeline.streams.filter((s) => s.end === 'clean-close').length, dropped, lostEvents, duplicatedEvents },
    drain: {
      pods: drains,
      maxSigtermToExitMs: max(drains.map((d) => d.sigtermToExitMs)),
      maxEndpointRemovalMs: max(drains.map((d) => d.endpointRemovalMs)),
      maxTerminatingToExitMs: max(drains.map((d) => d.terminatingToExitMs)),
      sigkilled: drains.filter((d) => d.sigkilled).length,
      servedAfterTerminating: drains.reduce((n, d) => n + d.servedAfterTerminating, 0),
      limitMs,
    },
  };
}

/** Evidence weight: pod-level proof (a SIGKILL) outranks request counts, which outrank 'other'. */
function weight(f: Finding): number {
  return (f.failureClass === 'other' ? 0 : 1_000_000) + f.pods.length * 10_000 + f.requests + f.streams;
}

export interface ExpectationCheck {
  matched: boolean;
  /** Why it did not match, in one line. */
  reason?: string;
}

/** A negative control matches only when it fails AND its expected class is among the findings. */
export function checkExpectation(expected: ExpectedOutcome, verdict: Verdict, analysis?: ScenarioAnalysis): ExpectationCheck {
  if (verdict === 'error') return { matched: false, reason: 'could not test' };
  if (expected.verdict === 'pass') {
    return verdict === 'pass' ? { matched: true } : { matched: false, reason: `expected pass, failed with ${analysis?.primaryClass ?? 'failures'}` };
  }
  if (verdict === 'pass') return { matched: false, reason: `negative control passed: expected ${expected.failureClass}` };
  const found = analysis?.findings.map((f) => f.failureClass) ?? [];
  return found.includes(expected.failureClass as FailureClass)
    ? { matched: true }
    : { matched: false, reason: `expected ${expected.failureClass}, found ${found.join(', ') || 'nothing'}` };
}
