// Third-party servers as "your app": nginx, gunicorn, Go's net/http, Python's http.server and Node's node:http, each
// deployed from its own manifests as written and rolled under load. The verdict and strongest failure class of each
// client model must be what the server's documented shutdown implies (fixtures/third-party/catalogue.ts).
// What each run actually gave is written to reports/conformance/third-party-<run>.json, matched or not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { fixtureScenario, outcomeMatches, THIRD_PARTY_FIXTURES, type FixtureScenarioId, type ModelOutcome } from '../../fixtures/third-party/catalogue.ts';
import { buildFixtureImages, type FixtureImage } from '../../fixtures/third-party/build.ts';
import type { FixtureImageId } from '../../fixtures/third-party/images.ts';
import { writeFixtureManifests } from '../../fixtures/third-party/manifests.ts';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../../harness/config/defaults.ts';
import type { ClientModel } from '../../harness/model/run-data.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import type { ScenarioReport } from '../../harness/report/report-model.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import type { Target } from '../../harness/run/target.ts';
import { loadImagesIntoKind } from './support/kind-images.ts';
import { suiteTarget } from './support/suite-target.ts';

const REPORT_ROOT = 'reports/conformance';
const runId = newRunId();
let target: Target;
let images: Map<FixtureImageId, FixtureImage>;
let manifestsRoot: string;

interface Observed {
  fixture: string;
  scenario: FixtureScenarioId;
  expected: Record<ClientModel, ModelOutcome>;
  /** `{verdict, failureClass?}` per model as the run judged it. */
  strict?: { verdict: string; failureClass?: string };
  retrying?: { verdict: string; failureClass?: string };
  error?: string;
  failures?: ScenarioReport['failures'];
  exitCodes?: (number | undefined)[];
  maxSigtermToExitMs?: number;
  sent?: number;
}
const observed: Observed[] = [];

const outcome = (verdict: string, failureClass: string | undefined) => (verdict === 'fail' ? { verdict, failureClass } : { verdict });
const say = (o: ModelOutcome) => (o.verdict === 'pass' ? 'pass' : `fail ${[o.failureClass, ...(o.or ?? [])].join(' or ')}`);
const said = (o: { verdict: string; failureClass?: string } | undefined) => (o ? `${o.verdict}${o.failureClass ? ` ${o.failureClass}` : ''}` : 'not judged');

beforeAll(async () => {
  target = await suiteTarget({ from: 9, to: 10 });
  images = await buildFixtureImages(THIRD_PARTY_FIXTURES.map((f) => f.image));
  await loadImagesIntoKind(inject('clusterName'), [...images.values()].map((i) => i.tag));
  manifestsRoot = mkdtempSync(join(tmpdir(), 'drainspec-third-party-'));
});

afterAll(() => {
  if (manifestsRoot) rmSync(manifestsRoot, { recursive: true, force: true });
  mkdirSync(REPORT_ROOT, { recursive: true });
  writeFileSync(join(REPORT_ROOT, `third-party-${runId}.json`), `${JSON.stringify({ runId, observed }, null, 2)}\n`);
});

const cases = THIRD_PARTY_FIXTURES.flatMap((fixture) => Object.entries(fixture.expect).map(([id, expected]) => ({ fixture, id: id as FixtureScenarioId, expected: expected as Record<ClientModel, ModelOutcome> })));

describe('third-party servers as your app', () => {
  cases.forEach(({ fixture, id, expected }, index) => {
    test(`${fixture.id} × ${id}: strict ${say(expected.strict)}, retrying ${say(expected.retrying)}`, async () => {
      const image = images.get(fixture.image);
      if (!image) throw new Error(`image ${fixture.image} was not built`);
      const manifests = writeFixtureManifests(fixture.id, image.tag, manifestsRoot);
      const config: DrainspecConfig = { ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, ...fixture.config, manifests }, reportDir: REPORT_ROOT };
      const [report] = await runMatrix({
        config, runId, scenarios: [fixtureScenario(id, expected)], target, reportDir: `${REPORT_ROOT}/${runId}`,
        progress: createProgress(), signal: AbortSignal.timeout(12 * 60_000), indexOffset: index,
      });
      if (!report) throw new Error(`runMatrix returned no report for ${id}`);
      const retrying = report.models?.retrying;
      const seen: Observed = {
        fixture: fixture.id, scenario: id, expected, error: report.error, failures: report.failures, sent: report.totals?.sent,
        strict: outcome(report.models?.strict.verdict ?? report.verdict, report.models?.strict.primaryClass),
        ...(retrying ? { retrying: outcome(retrying.verdict, retrying.primaryClass) } : {}),
        exitCodes: report.drain?.pods.map((p) => p.exitCode), maxSigtermToExitMs: report.drain?.maxSigtermToExitMs,
      };
      observed.push(seen);
      console.log(`${fixture.id} × ${id}: ${JSON.stringify({ strict: seen.strict, retrying: seen.retrying, failures: seen.failures, exitCodes: seen.exitCodes })}`);

      expect(report.error, 'the scenario could not be tested').toBeUndefined();
      // Uninstrumented: the network (conntrack) must show that load reached the terminating pods.
      expect(report.coverage?.source).toBe('conntrack');
      expect(report.coverage?.exercised, report.coverage?.note).toBe(true);
      const strict = report.models?.strict;
      expect.soft(strict && outcomeMatches(expected.strict, strict.verdict, strict.primaryClass), `strict clients: expected ${say(expected.strict)}, got ${said(seen.strict)}`).toBe(true);
      expect.soft(retrying && outcomeMatches(expected.retrying, retrying.verdict, retrying.primaryClass), `retrying clients: expected ${say(expected.retrying)}, got ${said(seen.retrying)}`).toBe(true);
    });
  });
});
