// The drain table of report.html: one column per terminated pod, one row per piece of evidence, grouped by who
// recorded it (Kubernetes, the app's own log, the load and the network). What the run cannot know is '?' with its
// reason printed in the row, never 0 or a dash.
import type { PodDrain } from '../analysis/drain-timings.ts';
import { escapeHtml, seconds, shortPodName, unknown } from './html-format.ts';
import type { ScenarioReport } from './report-model.ts';

/** A cell's value, or why it is unknown. */
type Cell = { html: string; over?: boolean } | { unknown: string };

interface Row {
  label: string;
  from: string;
  cell: (d: PodDrain, s: ScenarioReport) => Cell;
}

const value = (html: string, over = false): Cell => ({ html, over });
const time = (ms: number | undefined, why: string): Cell => (ms === undefined ? { unknown: why } : value(seconds(ms)));

const NOT_EXITED = 'the pod was not seen exiting before the scenario ended';
const noLine = (line: string) => (d: PodDrain) => (d.sigtermToExitMs === undefined && d.sigtermToReadinessOffMs === undefined
  ? 'the app logs no SIGTERM line (drainspec\'s sample app does; other apps need not)' : `the app logged no ${line} line`);

const KUBERNETES: Row[] = [
  { label: 'grace period', from: 'pod: deletionGracePeriodSeconds', cell: (d) => (d.gracePeriodSeconds === undefined ? { unknown: 'the watch recorded no grace period for this deletion' } : value(`${d.gracePeriodSeconds} s`)) },
  { label: 'preStop', from: 'pod spec: the app container\'s lifecycle.preStop', cell: (d) => (d.preStop === undefined ? { unknown: 'the watch recorded no pod spec' } : value(escapeHtml(d.preStop))) },
  { label: 'deletion → SIGKILL deadline', from: 'pod: metadata.deletionTimestamp (whole seconds)', cell: (d) => time(d.killDeadlineMs, 'the watch recorded no deletionTimestamp') },
  { label: 'deletion → endpoint not ready', from: 'EndpointSlice: ready=false or removed (new connections stop once kube-proxy syncs)', cell: (d) => time(d.endpointRemovalMs, 'the EndpointSlice watch saw no change for this pod') },
  { label: 'deletion → endpoint not serving', from: 'EndpointSlice: serving=false (the pod\'s readiness failed: it signalled draining)', cell: (d) => time(d.endpointNotServingMs, 'not seen: the endpoint went away before its readiness failed, or readiness never failed') },
  { label: 'deletion → exit', from: 'the app\'s exit line, else the watch seeing the terminated state', cell: (d) => time(d.terminatingToExitMs, NOT_EXITED) },
  { label: 'deletion → finishedAt', from: 'kubelet: state.terminated.finishedAt (whole seconds)', cell: (d) => time(d.finishedAfterTerminatingMs, NOT_EXITED) },
  { label: 'exit code / reason', from: 'kubelet: state.terminated', cell: (d) => (d.exitCode === undefined ? { unknown: NOT_EXITED } : value(`${d.exitCode}${d.exitReason ? ` ${escapeHtml(d.exitReason)}` : ''}${d.sigkilled ? ' (SIGKILL)' : ''}`, d.sigkilled)) },
  {
    label: 'killed at the deadline', from: 'exit 137 no earlier than deletionTimestamp',
    cell: (d) => (d.exitCode === undefined ? { unknown: NOT_EXITED } : d.killedAtDeadline === undefined ? { unknown: 'exit 137, but the deadline or the exit time is unknown' } : value(d.killedAtDeadline ? 'yes' : 'no', d.killedAtDeadline)),
  },
];

const APP_LOG: Row[] = [
  { label: 'SIGTERM → readiness off', from: 'app log: sigterm, readiness-off', cell: (d) => time(d.sigtermToReadinessOffMs, noLine('readiness-off')(d)) },
  { label: 'SIGTERM → listener closed', from: 'app log: sigterm, listener-closed', cell: (d) => time(d.sigtermToListenerClosedMs, noLine('listener-closed')(d)) },
  { label: 'SIGTERM → exit', from: 'app log: sigterm, exit', cell: (d) => time(d.sigtermToExitMs, d.terminatingToExitMs === undefined ? NOT_EXITED : noLine('exit')(d)) },
];

function drainCell(d: PodDrain, s: ScenarioReport): Cell {
  if (d.drainMs !== undefined) return value(seconds(d.drainMs), d.drainMs > (s.drain?.limitMs ?? Infinity));
  if (d.terminatingToExitMs === undefined) return { unknown: NOT_EXITED };
  return { unknown: `no SIGTERM line from the app and a preStop of unknown length (${d.preStop ?? 'not recorded'}) to subtract` };
}

function requestsCell(d: PodDrain, s: ScenarioReport): Cell {
  const count = s.coverage?.pods.find((p) => p.pod === d.pod)?.requestsAfterDeletion ?? d.servedAfterTerminating;
  return count === undefined ? { unknown: 'responses name no pod (no x-drainspec-pod header): requests cannot be attributed to pods' } : value(String(count));
}

const LOAD: Row[] = [
  { label: 'requests after deletion', from: 'x-drainspec-pod response header: answered or failed, started after deletion', cell: requestsCell },
  {
    label: 'deletion → last request served', from: 'x-drainspec-pod response header',
    cell: (d) => (d.servedAfterTerminating === undefined ? { unknown: 'responses name no pod (no x-drainspec-pod header)' } : d.servedAfterTerminating === 0 ? value('none served') : time(d.lastServedAfterTerminatingMs, 'no last response recorded')),
  },
  { label: 'connections after deletion', from: 'the nodes\' conntrack tables: connections whose byte counters grew after deletion', cell: (d) => (d.connectionsAfterTerminating === undefined ? { unknown: 'no conntrack evidence in this run' } : value(String(d.connectionsAfterTerminating))) },
];

/** Through the ingress: what the proxy did, from its access log. */
const PROXY: Row[] = [
  { label: 'proxied after deletion', from: 'the ingress proxy\'s access log: requests it sent this pod after deletion', cell: (d) => (d.proxyRoutedAfterTerminating === undefined ? { unknown: 'no proxy access log' } : value(String(d.proxyRoutedAfterTerminating))) },
  {
    label: 'endpoint removal → proxy\'s last request', from: 'access log vs EndpointSlice: how long the proxy routed by the old endpoints (kube-proxy\'s bound is the routing lag)',
    cell: (d) => time(d.proxyLastRoutedAfterEndpointRemovalMs, d.proxyRoutedAfterTerminating === undefined ? 'no proxy access log' : 'endpoint removal or last proxied request not recorded'),
  },
];

function rows(group: string, list: Row[], pods: PodDrain[], s: ScenarioReport): string {
  const body = list.map((row) => {
    const cells = pods.map((d) => row.cell(d, s));
    const reasons = [...new Set(cells.flatMap((c) => ('unknown' in c ? [c.unknown] : [])))];
    const tds = cells.map((c, i) => {
      const killed = pods[i]?.sigkilled ? ' killed' : '';
      return 'unknown' in c ? `<td class="unknown${killed}">${unknown(c.unknown)}</td>` : `<td class="${c.over ? 'over' : ''}${killed}">${c.html}</td>`;
    });
    const why = reasons.map((r) => `<br><span class="why">? ${escapeHtml(r)}</span>`).join('');
    return `<tr><th scope="row">${escapeHtml(row.label)}</th>${tds.join('')}<td class="from">${escapeHtml(row.from)}${why}</td></tr>`;
  });
  return `<tr class="group"><th colspan="${pods.length + 2}">${escapeHtml(group)}</th></tr>${body.join('')}`;
}

export function drainTable(s: ScenarioReport): string {
  if (!s.drain || s.drain.pods.length === 0) return '<p>No pod terminated during this scenario.</p>';
  const { pods, limitMs } = s.drain;
  const judged: Row[] = [{ label: `drain (limit ${seconds(limitMs)})`, from: 'SIGTERM → exit, else deletion → exit less a preStop sleep of known length', cell: drainCell }];
  const head = pods.map((d) => `<th class="pod${d.sigkilled ? ' killed' : ''}" title="${escapeHtml(d.pod)}">${escapeHtml(shortPodName(d.pod))}</th>`).join('');
  return `<div class="scroll"><table class="drain"><thead><tr><th>per terminated pod</th>${head}<th>from</th></tr></thead><tbody>
${rows('Kubernetes', KUBERNETES, pods, s)}
${rows('the app\'s own log', APP_LOG, pods, s)}
${rows('judged', judged, pods, s)}
${rows('load after deletion', LOAD, pods, s)}
${s.via === 'ingress' ? rows('the ingress proxy', PROXY, pods, s) : ''}
</tbody></table></div>
<p class="note">Times run from the pod's deletion as the watch saw it. <abbr class="unknown">?</abbr> marks what this run's evidence cannot tell; the reason is in the row.</p>`;
}
