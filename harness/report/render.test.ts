// The three views of the sample report: report.html, junit.xml and summary.md say the same thing about both client
// models, the coverage and what cannot be known.
import { describe, expect, test } from 'vitest';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { sampleReport } from './sample-report.ts';

const report = sampleReport();

describe('report.html', () => {
  const html = renderHtml(report);
  /** The summary table's row of one scenario. */
  const row = (id: string) => html.match(new RegExp(`<tr[^>]*><td><a href="#s-1-[^"]*">${id}</a>[\\s\\S]*?</tr>`))?.[0] ?? '';
  /** One scenario's section. */
  const section = (id: string) => html.match(new RegExp(`<section class="scenario" id="s-1-${id.replace(/\//g, '-')}">[\\s\\S]*?</section>`))?.[0] ?? '';

  test('is self-contained, escapes input and draws the timeline', () => {
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
    expect(html).toContain('&#60;script&#62;');
    expect(html.match(/<svg class="outcomes"/g)).toHaveLength(6);
    expect(html).toContain('class="bar failed"');
    expect(html).not.toMatch(/undefined|NaN/);
  });

  test('the summary has a verdict column per client model, the deciding one marked, each with its expectation', () => {
    expect(html).toContain('<th>clients that never retry</th><th>retrying clients</th><th>coverage</th>');
    const raced = row('delayed-close/rollout-restart/keepalive');
    expect(raced).toMatch(/<td class="model strict deciding"><span class="badge fail">fail<\/span> keepalive-race, 6 failed <span class="decides">decides<\/span>/);
    expect(raced).toMatch(/<td class="model retrying"><span class="badge pass">pass<\/span> 6 absorbed by retries/);
    expect(raced).toContain('expected fail with keepalive-race <span class="match">✓</span>');
    expect(raced).toContain('expected pass <span class="match">✓</span>');
    expect(html.match(/<td class="model strict deciding">/g)).toHaveLength(6);
    expect(html).not.toContain('model retrying deciding');
  });

  test('coverage reads reached, unknown (marked and explained) or not exercised (an error)', () => {
    expect(row('graceful/rollout-restart/fresh')).toContain('1/1 pods reached (header)');
    expect(row('your-app/rollout-restart/keepalive')).toContain('3/3 pods reached (conntrack)');
    expect(row('your-app/pod-delete/keepalive')).toMatch(/<abbr class="unknown" title="coverage unknown: responses name no pod[^"]*">unknown<\/abbr>/);
    const unexercised = row('your-app/scale-down/fresh');
    expect(unexercised).toContain('<td class="coverage"><span class="badge error">not exercised</span></td>');
    expect(unexercised).toMatch(/^<tr class="mismatch">/);
    expect(unexercised).toContain('<span class="badge error">error</span> not exercised');
    expect(section('your-app/scale-down/fresh')).toContain('<h4>Not exercised: a pass here would prove nothing</h4>');
    expect(row('graceful/eviction/fresh')).toContain('could not test: pod app-1: ErrImageNeverPull &#60;script&#62;');
  });

  test('findings say which clients they hurt and the fix for each client model', () => {
    const raced = section('delayed-close/rollout-restart/keepalive');
    expect(raced).toContain('6 failed requests for clients that never retry; 0 for retrying clients (6 absorbed by a retry on a new connection)');
    expect(raced).toContain('<b>Hurts:</b> fails for clients that don&#39;t retry');
    expect(raced).toMatch(/<li class="fix strict">.*Send <code>Connection: close<\/code> on responses during the drain window, so no pooled socket is idle when the server closes it/);
    expect(raced).toMatch(/<li class="fix retrying">.*rely on them for idempotent traffic only/);
    expect(section('exit-immediately/rollout-restart/fresh')).toMatch(/<li class="fix retrying">.*Keep serving for a drain delay after SIGTERM/);
  });

  test('the drain table shows Kubernetes evidence for every pod and marks what cannot be known, with the reason', () => {
    const anonymous = section('your-app/rollout-restart/keepalive');
    for (const label of ['grace period', 'preStop', 'deletion → SIGKILL deadline', 'deletion → endpoint not ready', 'deletion → endpoint not serving', 'deletion → finishedAt', 'exit code / reason', 'killed at the deadline', 'SIGTERM → exit', 'drain (limit 15.00 s)', 'requests after deletion', 'connections after deletion']) {
      expect(anonymous).toContain(`<th scope="row">${label}</th>`);
    }
    expect(anonymous).toContain('<td class="">sleep 5s</td>');
    expect(anonymous).toMatch(/<th scope="row">requests after deletion<\/th>(<td class="unknown"><abbr class="unknown" title="responses name no pod[^"]*">\?<\/abbr><\/td>){3}<td class="from">.*\? responses name no pod/);
    expect(anonymous).toMatch(/<th scope="row">SIGTERM → exit<\/th>(<td class="unknown">.*?<\/td>){3}<td class="from">app log: sigterm, exit<br><span class="why">\? the app logs no SIGTERM line/);
    expect(anonymous).toMatch(/<th scope="row">connections after deletion<\/th>(<td class="">1<\/td>){3}/);
    expect(anonymous).toMatch(/<th scope="row">deletion → endpoint not serving<\/th><td class="">5.10 s<\/td><td class="">5.10 s<\/td><td class="unknown">/);
    expect(section('your-app/pod-delete/keepalive')).toMatch(/<th scope="row">drain \(limit 30.00 s\)<\/th><td class="unknown">.*preStop of unknown length \(exec\)/);
    expect(row('your-app/pod-delete/keepalive')).toMatch(/<abbr class="unknown" title="drain unknown for every pod[^"]*">\?<\/abbr>/);
  });
});

describe('junit.xml', () => {
  const xml = renderJunit(report);

  test('one testcase per scenario: the deciding model\'s mismatch = failure, could-not-test and not-exercised = error', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml).toContain('tests="7" failures="0" errors="2"');
    expect(xml).toContain('&lt;script&gt;');
  });

  test('both models\' verdicts and the coverage are in the message and the output', () => {
    expect(xml).toContain('strict (deciding): fail (keepalive-race, 6 failed); expected fail with keepalive-race: as expected\nretrying: pass (6 absorbed by retries); expected pass: as expected\ncoverage: 1/1 pods reached (header)');
    expect(xml).toMatch(/<error message="not exercised: no terminating pod carried load[^"]*\[strict: error \(not exercised\); retrying: error \(not exercised\)\]">/);
    expect(xml).toContain('coverage: unknown: coverage unknown: responses name no pod');
  });
});

describe('summary.md', () => {
  const md = renderMarkdown(report);
  const line = (id: string) => md.split('\n').find((l) => l.includes(`| ${id} `)) ?? '';

  test('a row per scenario, a column per client model (the deciding one bold) and the coverage', () => {
    expect(md.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌') || l.startsWith('| ⚠️'))).toHaveLength(7);
    expect(md).toContain('| | scenario | clients that never retry | retrying clients | coverage | longest drain |');
    expect(md).toContain('2 of 7 verdicts not as expected');
    expect(line('delayed-close/rollout-restart/keepalive #1')).toContain('| **fail: keepalive-race, 6 failed** ✓ | pass: 6 absorbed by retries ✓ | 1/1 pods reached (header) | 5.10 s |');
    expect(line('your-app/scale-down/fresh #1')).toMatch(/^\| ⚠️ .*✗ expected pass \| ⚠️ not exercised \|/);
    expect(line('your-app/pod-delete/keepalive #1')).toContain('| ? unknown | ? (unknown) |');
  });

  test('shows no raw HTML from error text', () => {
    expect(md).not.toContain('<script>');
    expect(line('graceful/eviction/fresh #1')).toContain('&lt;script&gt;');
  });
});
