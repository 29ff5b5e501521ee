// The verdict of one scenario from its timeline: failures by class, drain timings, coverage, the verdict for each
// client model, and whether that matches what the catalogue expected (pure; the report renders this, the suites
// assert on it).
import type { ClientModel, RequestRecord, RequestTotals, Timeline } from '../model/run-data.ts';
import type { ExpectedOutcome } from '../scenarios/catalogue.ts';
import { DEFAULT_ROUTING_LAG_MS, KILL_WINDOW, killClass, killsOf, requestClassifier } from './classify.ts';
import { drainTimings, hasHeaderAttribution, type PodDrain } from './drain-timings.ts';
import { FAILURE_MODES, type FailureClass } from './failure-modes.ts';
import { clusterStarvationOf, lateRoutingOf } from './late-routing.ts';
import { podFacts } from './pod-facts.ts';
import { routedCount } from './proxy-routing.ts';
import { streamFailed, streamFailureDetail, streamSaidGoodbye } from './streams.ts';

export type Verdict = 'pass' | 'fail' | 'error';

export interface Thresholds {
  maxFailedRequests: number;
  /** Longest tolerated drain (SIGTERM → exit) per pod; the grace period when 0. */
  maxDrainMs: number;
}

export interface Finding {
  failureClass: FailureClass;
  title: string;
  diagnosis: string;
  remediation: string;
  /** Failed requests of this class as clients that never retry saw them (strict model). */
  requests: number;
  /** The same for clients that retry an idempotent request once on a new connection (retrying model). */
  retryingRequests: number;
  /** First attempts that failed on a reused connection and whose retry succeeded. */
  absorbedRetries: number;
  /** Pooled connections the server closed while idle with no `Connection: close` first: a strict client fails if it sends then. */
  unannouncedCloses: number;
  streams: number;
  /** Pods whose own behaviour shows the mode (SIGKILLed, drained too long, exited non-zero). */
  pods: string[];
  /** Which clients the finding hurts, in one line (request classes only). */
  clients?: string;
  /** One example, for the report: a request's error or a pod's exit. */
  example?: string;
}

export interface ModelVerdict {
  verdict: Verdict;
  primaryClass?: FailureClass;
  failures: { total: number; byClass: Partial<Record<FailureClass, number>> };
  /** Failed first attempts that a retry turned into a success (0 for strict clients, who never retry). */
  absorbedRetries: number;
  /** Why this model gives no verdict though it saw the drain: the harness, or (for a would-be fail) the cluster, was starved. */
  starved?: string;
}

export interface PodCoverage {
  pod: string;
  /** Requests started after its deletion that it answered or failed (needs per-response attribution). */
  requestsAfterDeletion?: number;
  /** Connections to it that carried traffic after its deletion (conntrack). */
  connectionsAfterDeletion?: number;
}

export interface Coverage {
  /**
   * Where attribution came from: the app's response header, the nodes' conntrack tables, the ingress proxy's access
   * log, a combination (`header+conntrack`), or nothing.
   */
  source: string;
  /** Whether load reached a terminating pod after its deletion; undefined when that cannot be known. */
  exercised?: boolean;
  pods: PodCoverage[];
  /** One line for the report and the verdict line. */
  note: string;
}

export interface ScenarioAnalysis {
  /** The deciding client model's verdict (`clients`, default strict). */
  verdict: Verdict;
  /** The class with the most evidence; absent on pass. */
  primaryClass?: FailureClass;
  failures: ModelVerdict['failures'];
  decidingModel: ClientModel;
  models: Record<ClientModel, ModelVerdict>;
  /** Why a scenario that would have passed is an error: no terminating pod carried load after its deletion. */
  notExercised?: string;
  /** Why no verdict could be given whatever the evidence (verdict error for every model): the harness was starved. */
  starved?: string;
  /** Why the verdict is error, for the report: `starved`, or `notExercised` when that decided. */
  couldNotJudge?: string;
  coverage: Coverage;
  findings: Finding[];
  totals: RequestTotals;
  streams: { total: number; cleanlyClosed: number; dropped: number; lostEvents: number; duplicatedEvents: number };
  drain: {
    pods: PodDrain[];
    maxSigtermToExitMs?: number;
    maxDrainMs?: number;
    maxEndpointRemovalMs?: number;
    maxTerminatingToExitMs?: number;
    sigkilled: number;
    servedAfterTerminating?: number;
    limitMs: number;
  };
}


/**
 * Longest stall of the load client's event loop that this timeline's verdict survives. A stalled loop stamps a
 * request's end late (and sends nothing meanwhile), so a stall longer than the narrowest window the classifier
 * places request ends in can move a request across it: KILL_WINDOW.beforeMs (1000 ms) and the routing lag
 * (≥ 1000 ms). Pairing a client failure with the proxy's own error (PROXY_MATCH_SLACK_MS) is not such a window:
 * a request's start is stamped before its bytes are written, so the proxy's receive time is never before it, and a
 * late end only widens the pair's window. The max delay, not the p99: one stall is enough to misplace the requests
 * it covers.
 */
export function stallLimitFor(timeline: Pick<Timeline, 'routingLagMs'>): number {
  return Math.min(KILL_WINDOW.beforeMs, timeline.routingLagMs ?? DEFAULT_ROUTING_LAG_MS);
}

/** The starvation reason when the load client's event loop stalled past the limit; undefined otherwise. */
export function starvationOf(timeline: Pick<Timeline, 'harness' | 'routingLagMs'>, limitMs: number = stallLimitFor(timeline)): string | undefined {
  const stallMs = timeline.harness?.maxEventLoopDelayMs;
  return stallMs !== undefined && stallMs > limitMs ? `the harness was starved: event loop stalled ${stallMs} ms (limit ${limitMs} ms)` : undefined;
}

/** Classes whose failed requests prove the load reached a pod while it was terminating. */
const DRAIN_CLASSES: ReadonlySet<FailureClass> = new Set(['refused-before-endpoint-removal', 'keepalive-race', 'sigterm-ignored', 'grace-too-short', 'proxy-upstream-failed']);

const requestExample = (r: RequestRecord) => `${r.client}${r.method ? ` ${r.method}` : ''} ${r.path} ${r.reusedSocket ? 'reused' : 'fresh'} socket: ${r.errorCode ?? (r.outcome === 'in-flight' ? 'still in flight at stop' : 'error')}${r.errorDetail ? ` (${r.errorDetail})` : ''}${r.bodyPrefix ? ` body "${r.bodyPrefix.slice(0, 80)}"` : ''}`;

function clientsNote(f: Finding): string | undefined {
  if (f.requests === 0 && f.retryingRequests === 0) {
    return f.unannouncedCloses > 0
      ? `fails for clients that don't retry: ${f.unannouncedCloses} pooled connections were closed unannounced while idle, and a request sent on one at that instant fails (Node's http.Agent: "socket hang up"); retrying clients retry it`
      : undefined;
  }
  if (f.retryingRequests === 0) return `fails for clients that don't retry (Node's http.Agent, POST traffic, most load tools); retrying clients (Go's net/http, browsers) absorbed ${f.absorbedRetries}`;
  if (f.absorbedRetries > 0) return `fails for every client: retrying clients absorbed ${f.absorbedRetries} but still saw ${f.retryingRequests}`;
  return 'fails for every client, retrying or not';
}

export function evaluateTimeline(timeline: Timeline, totals: RequestTotals, thresholds: Thresholds, decidingModel: ClientModel = 'strict'): ScenarioAnalysis {
  const facts = podFacts(timeline);
  const unanswered = timeline.requests.filter((r) => r.outcome !== 'ok');
  const kills = killsOf(facts.values(), unanswered);
  const classifier = requestClassifier(timeline, kills);
  const findings = new Map<FailureClass, Finding>();
  const finding = (failureClass: FailureClass): Finding => {
    let f = findings.get(failureClass);
    if (!f) {
      const { title, diagnosis, remediation } = FAILURE_MODES[failureClass];
      f = { failureClass, title, diagnosis, remediation, requests: 0, retryingRequests: 0, absorbedRetries: 0, unannouncedCloses: 0, streams: 0, pods: [] };
      findings.set(failureClass, f);
    }
    return f;
  };
  const failedSeqs = new Set(unanswered.map((r) => r.seq));
  let drainFailures = 0;
  for (const r of unanswered) {
    const failureClass = classifier.classify(r);
    const f = finding(failureClass);
    if (DRAIN_CLASSES.has(failureClass)) drainFailures += 1;
    // A strict client never sent the retry; a retrying one never saw a first attempt that it retried.
    if (r.retryOf === undefined) f.requests += 1;
    if (r.retriedAs === undefined) f.retryingRequests += 1;
    else if (!failedSeqs.has(r.retriedAs)) f.absorbedRetries += 1;
    f.example ??= requestExample(r);
  }
  for (const close of timeline.idleCloses ?? []) {
    const failureClass = classifier.idleCloseClass(close);
    if (!failureClass) continue;
    const f = finding(failureClass);
    f.unannouncedCloses += 1;
    drainFailures += 1;
    f.example ??= `a pooled ${close.client} connection${close.pod ? ` to ${close.pod}` : ''} was closed by the server while idle, with no Connection: close first`;
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
    f.example ??= streamFailureDetail(s);
  }
  for (const k of kills) {
    const f = finding(killClass(k));
    f.pods.push(k.pod);
    f.example ??= `${k.pod} exited 137 (SIGKILL) ${k.drainingSign ? `after draining: ${k.drainingSign}` : 'with no sign of draining: its endpoint kept serving until the kill'}`;
  }
  for (const p of facts.values()) {
    if (p.terminatingAtMs === undefined || p.exitCode === undefined || p.exitCode === 0 || p.exitCode === 137) continue;
    const f = finding('unclean-exit');
    f.pods.push(p.pod);
    f.example ??= `${p.pod} exited ${p.exitCode}${p.exitReason ? ` (${p.exitReason})` : ''} after termination began`;
  }
  const drains = drainTimings(timeline, facts);
  const limitMs = thresholds.maxDrainMs > 0 ? thresholds.maxDrainMs : timeline.gracePeriodSeconds * 1000;
  for (const d of drains) {
    if (d.sigkilled || d.drainMs === undefined || d.drainMs <= limitMs) continue;
    const f = finding('grace-too-short');
    f.pods.push(d.pod);
    f.example ??= `${d.pod} took ${d.drainMs} ms to drain (${d.sigtermToExitMs !== undefined ? 'SIGTERM' : 'deletion'} → exit; limit ${limitMs} ms)`;
  }
  for (const f of findings.values()) {
    const note = clientsNote(f);
    if (note) f.clients = note;
  }

  const coverage = coverageOf(timeline, drains, unanswered, drainFailures);
  const notExercised = coverage.exercised === false ? `not exercised: ${coverage.note}` : undefined;
  // A starved harness can fabricate failures (late stamps, timeouts of its own): no verdict, never fail. A starved
  // cluster (kube-proxy routing by stale endpoints past its lag) can only add failures — a late route never rescues
  // a broken app — so it voids a would-be fail, never a pass.
  const harnessStarved = starvationOf(timeline);
  const clusterStarved = clusterStarvationOf(lateRoutingOf(timeline, facts));
  const modelVerdict = (model: ClientModel): ModelVerdict => {
    const count = (f: Finding) => (model === 'strict' ? f.requests : f.retryingRequests);
    const byClass: Partial<Record<FailureClass, number>> = {};
    let failedRequests = 0;
    let absorbedRetries = 0;
    for (const f of findings.values()) {
      if (count(f) + f.streams > 0) byClass[f.failureClass] = count(f) + f.streams;
      failedRequests += count(f);
      if (model === 'retrying') absorbedRetries += f.absorbedRetries;
    }
    // Unannounced idle closes hurt clients that never retry; retrying clients retry a request caught by one.
    const hazards = (f: Finding) => (model === 'strict' ? f.unannouncedCloses : 0);
    const evidence = [...findings.values()].filter((f) => count(f) + hazards(f) + f.streams + f.pods.length > 0).sort((a, b) => weight(b, count(b) + hazards(b)) - weight(a, count(a) + hazards(a)));
    const failed = failedRequests > thresholds.maxFailedRequests || evidence.some((f) => f.streams > 0 || f.pods.length > 0 || hazards(f) > 0);
    const starved = harnessStarved ?? (failed ? clusterStarved : undefined);
    return {
      verdict: starved ? 'error' : failed ? 'fail' : notExercised ? 'error' : 'pass',
      primaryClass: failed && !starved ? evidence[0]?.failureClass : undefined,
      failures: { total: failedRequests + dropped, byClass },
      absorbedRetries,
      ...(starved ? { starved } : {}),
    };
  };
  const models = { strict: modelVerdict('strict'), retrying: modelVerdict('retrying') };
  const decided = models[decidingModel];
  const starved = decided.starved;
  const max = (values: (number | undefined)[]) => values.reduce<number | undefined>((m, v) => (v === undefined ? m : Math.max(m ?? v, v)), undefined);
  const served = drains.map((d) => d.servedAfterTerminating);
  return {
    verdict: decided.verdict,
    primaryClass: decided.primaryClass,
    failures: decided.failures,
    decidingModel,
    models,
    ...(notExercised ? { notExercised } : {}),
    ...(starved ? { starved } : {}),
    ...(decided.verdict === 'error' ? { couldNotJudge: starved ?? notExercised } : {}),
    coverage,
    findings: [...findings.values()].sort((a, b) => weight(b, b.requests + b.unannouncedCloses) - weight(a, a.requests + a.unannouncedCloses)),
    totals,
    streams: { total: timeline.streams.length, cleanlyClosed: timeline.streams.filter(streamSaidGoodbye).length, dropped, lostEvents, duplicatedEvents },
    drain: {
      pods: drains,
      maxSigtermToExitMs: max(drains.map((d) => d.sigtermToExitMs)),
      maxDrainMs: max(drains.map((d) => d.drainMs)),
      maxEndpointRemovalMs: max(drains.map((d) => d.endpointRemovalMs)),
      maxTerminatingToExitMs: max(drains.map((d) => d.terminatingToExitMs)),
      sigkilled: drains.filter((d) => d.sigkilled).length,
      servedAfterTerminating: served.every((n) => n === undefined) ? undefined : served.reduce<number>((n, v) => n + (v ?? 0), 0),
      limitMs,
    },
  };
}

/**
 * Did load reach a terminating pod after its deletion? Per pod from the response header (requests) and conntrack
 * (connections); a failed request of a drain class proves it too. Unknown when there is no attribution at all.
 */
function coverageOf(timeline: Timeline, drains: readonly PodDrain[], unanswered: readonly RequestRecord[], drainFailures: number): Coverage {
  const header = hasHeaderAttribution(timeline);
  const conntrack = timeline.connections?.source === 'conntrack';
  const proxy = timeline.proxy?.source === 'access-log';
  const source = [header && 'header', conntrack && 'conntrack', proxy && 'proxy'].filter(Boolean).join('+') || 'none';
  const pods: PodCoverage[] = drains.map((d) => {
    const byHeader = header ? (d.servedAfterTerminating ?? 0) + unanswered.filter((r) => r.pod === d.pod && r.startMs >= d.terminatingAtMs).length : undefined;
    const byProxy = routedCount(timeline.proxy, d.pod, d.terminatingAtMs);
    const requests = byHeader === undefined && byProxy === undefined ? undefined : Math.max(byHeader ?? 0, byProxy ?? 0);
    return {
      pod: d.pod,
      ...(requests !== undefined ? { requestsAfterDeletion: requests } : {}),
      ...(d.connectionsAfterTerminating !== undefined ? { connectionsAfterDeletion: d.connectionsAfterTerminating } : {}),
    };
  });
  const streamsOnTerminating = timeline.streams.filter((s) => s.pod !== undefined && drains.some((d) => d.pod === s.pod && (s.endedAtMs ?? timeline.endMs) >= d.terminatingAtMs)).length;
  const reached = pods.filter((p) => (p.requestsAfterDeletion ?? 0) > 0 || (p.connectionsAfterDeletion ?? 0) > 0).length;
  // Requests count per 100 ms of start time, so a pod that answered each pooled connection once more right after its
  // deletion (Connection: close) can show none "started after" it; its last response, kept to the ms, still shows it
  // answered after its deletion began.
  const answeredAfter = header ? drains.filter((d) => d.lastServedAtMs !== undefined && d.lastServedAtMs > d.terminatingAtMs).length : 0;
  if (drains.length === 0) return { source, exercised: false, pods, note: 'no pod terminated during the scenario' };
  if (reached > 0 || answeredAfter > 0 || drainFailures > 0 || streamsOnTerminating > 0) {
    const proof = reached > 0 ? `${reached} of ${drains.length} terminating pods carried load after deletion (${source})`
      : answeredAfter > 0 ? `${answeredAfter} of ${drains.length} terminating pods answered after their deletion began (${source})`
      : drainFailures > 0 ? `${drainFailures} failed requests hit terminating pods` : `${streamsOnTerminating} streams were open on terminating pods`;
    return { source, exercised: true, pods, note: proof };
  }
  if (source === 'none' && timeline.proxy?.source === 'none') {
    return { source, pods, note: `coverage unknown: responses name no pod and ${timeline.proxy.reason}` };
  }
  if (source === 'none' && timeline.connections?.source === 'none') {
    return { source, pods, note: `coverage unknown: responses name no pod and ${timeline.connections.reason}` };
  }
  if (source === 'none') return { source, pods, note: 'coverage unknown: responses name no pod and no network attribution ran' };
  return { source, exercised: false, pods, note: `no terminating pod carried load after its deletion (${source}): raise --connections or --rate, or check that the load reaches the Service` };
}

/** Evidence weight: pod-level proof (a SIGKILL) outranks request counts, which outrank 'other'. */
function weight(f: Finding, requests: number): number {
  return (f.failureClass === 'other' ? 0 : 1_000_000) + f.pods.length * 10_000 + requests + f.streams;
}

export interface ExpectationCheck {
  matched: boolean;
  /** Why it did not match, in one line. */
  reason?: string;
}

/** A negative control matches only when it fails AND its expected class is among the findings with evidence. */
export function checkExpectation(expected: ExpectedOutcome, verdict: Verdict, analysis?: Pick<ModelVerdict, 'failures' | 'primaryClass'> & { findings?: Finding[] }, error?: string): ExpectationCheck {
  if (verdict === 'error') return { matched: false, reason: error ?? 'could not test' };
  if (expected.verdict === 'pass') {
    return verdict === 'pass' ? { matched: true } : { matched: false, reason: `expected pass, failed with ${analysis?.primaryClass ?? 'failures'}` };
  }
  if (verdict === 'pass') return { matched: false, reason: `negative control passed: expected ${expected.failureClass}` };
  const found = [...new Set([...(analysis?.primaryClass ? [analysis.primaryClass] : []), ...Object.keys(analysis?.failures.byClass ?? {}), ...(analysis?.findings ?? []).filter((f) => f.pods.length > 0).map((f) => f.failureClass)])];
  return found.includes(expected.failureClass as FailureClass)
    ? { matched: true }
    : { matched: false, reason: `expected ${expected.failureClass}, found ${found.join(', ') || 'nothing'}` };
}
