// Opt-in soak (`npm run soak`): is the keep-alive race caught every time, on a server nobody here wrote? A plain
// node:http server that calls server.close() after a drain delay (fixtures/third-party, node-server-close) closes
// idle keep-alive sockets unannounced; rolled DRAINSPEC_SOAK_RUNS times (default 20) under keep-alive load, strict
// clients must see `keepalive-race` in ≥ 95 % of runs and retrying clients must pass in all of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildFixtureImages } from '../../fixtures/third-party/build.ts';
import { fixtureScenario, THIRD_PARTY_FIXTURES, type FixtureScenarioId } from '../../fixtures/third-party/catalogue.ts';
import { writeFixtureManifests } from '../../fixtures/third-party/manifests.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import { loadImagesIntoKind } from '../conformance/support/kind-images.ts';
import { suiteTarget } from '../conformance/support/suite-target.ts';

const RUNS = Number(process.env.DRAINSPEC_SOAK_RUNS ?? 20);
const FIXTURE_ID = 'node-server-close';
const SCENARIO_ID: FixtureScenarioId = 'your-app/rollout-restart/keepalive';
const fixture = THIRD_PARTY_FIXTURES.find((f) => f.id === FIXTURE_ID);
let dir: string;

beforeAll(() => {
  if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 200) throw new Error(`DRAINSPEC_SOAK_RUNS must be a whole number in 1..200, got ${process.env.DRAINSPEC_SOAK_RUNS}`);
  dir = mkdtempSync(join(tmpdir(), 'drainspec-soak-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('keep-alive race on a third-party server', () => {
  test(`${FIXTURE_ID} × ${SCENARIO_ID}, ${RUNS} runs`, async () => {
    if (!fixture) throw new Error(`fixtures/third-party lost ${FIXTURE_ID}`);
    const expected = fixture.expect[SCENARIO_ID];
    if (!expected) throw new Error(`${FIXTURE_ID} has no ${SCENARIO_ID} expectation`);
    const image = (await buildFixtureImages([fixture.image])).get(fixture.image);
    if (!image) throw new Error(`image ${fixture.image} was not built`);
    await loadImagesIntoKind(inject('clusterName'), [image.tag]);
    const manifests = writeFixtureManifests(fixture.id, image.tag, dir);
    const runId = newRunId();
    const reports = await runMatrix({
      config: { ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, ...fixture.config, manifests }, repeat: RUNS, reportDir: 'reports/soak' },
      runId, scenarios: [fixtureScenario(SCENARIO_ID, expected)], target: await suiteTarget({ from: 8, to: 9 }), reportDir: `reports/soak/${runId}`,
      progress: createProgress(), signal: AbortSignal.timeout(RUNS * 3 * 60_000),
    });
    const caught = reports.filter((r) => r.models?.strict.verdict === 'fail' && r.models.strict.primaryClass === 'keepalive-race').length;
    const retryingPassed = reports.filter((r) => r.models?.retrying.verdict === 'pass').length;
    const absorbed = reports.map((r) => r.models?.retrying.absorbedRetries ?? 0);
    process.stdout.write(`keepalive_race_caught=${caught}/${RUNS} retrying_pass=${retryingPassed}/${RUNS} absorbed_per_run=${absorbed.join(',')}\n`);
    expect(reports.map((r) => r.error).filter(Boolean)).toEqual([]);
    expect(caught).toBeGreaterThanOrEqual(Math.ceil(RUNS * 0.95));
    expect(retryingPassed).toBe(RUNS);
  });
});
