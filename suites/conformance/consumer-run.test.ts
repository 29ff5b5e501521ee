// drainspec installed from its packed tarball in a user's project runs for real on the kind cluster: the CLI (on the
// project's Node 22) writes a report.json for one your-app scenario, and README's vitest example passes in the
// project's own vitest (Node 24).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunReport } from '../../harness/report/report-model.ts';
import { createConsumerProject, NODE_24, readmeExample, run, userEnv, type ConsumerProject } from '../consumer/support/consumer-project.ts';

let project: ConsumerProject;
const SCENARIO = 'your-app/rollout-restart/keepalive';
/** The CLI runs on the project's Node 22 where its package exists (linux-x64), the vitest example on Node 24. */
const hasNode22 = process.platform === 'linux' && process.arch === 'x64';

const runDirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => existsSync(join(dir, name, 'report.json'))) : []);

beforeAll(() => {
  project = createConsumerProject({ withVitest: true, withNode22: hasNode22 });
  // The sample app stands in for the user's image; the cluster is the suite's, kept for the next file.
  const config = { app: { image: inject('sampleAppImage') }, cluster: { name: inject('clusterName'), keep: true }, reportDir: 'rollout-reports' };
  writeFileSync(join(project.dir, 'drainspec.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
}, 600_000);

afterAll(() => {
  if (project && process.env.DRAINSPEC_KEEP_CONSUMER !== '1') rmSync(dirname(project.dir), { recursive: true, force: true });
});

describe('installed drainspec on the kind cluster', () => {
  test(`npx drainspec run --scenario ${SCENARIO} passes and writes report.json${hasNode22 ? ' (Node 22)' : ''}`, () => {
    const args = ['run', '--scenario', SCENARIO];
    const options = { cwd: project.dir, env: userEnv(project.dir), timeoutMs: 600_000 };
    const result = hasNode22 ? run('npx', ['--no-install', 'drainspec', ...args], options) : run(NODE_24, [join(project.dir, 'node_modules', '.bin', 'drainspec'), ...args], options);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const [runId] = runDirs(join(project.dir, 'rollout-reports'));
    const report = JSON.parse(readFileSync(join(project.dir, 'rollout-reports', runId as string, 'report.json'), 'utf8')) as RunReport;
    expect(report.scenarios.map((s) => [s.id, s.verdict, s.matched])).toEqual([[SCENARIO, 'pass', true]]);
    expect(report.settings.image).toBe(inject('sampleAppImage'));
    expect(result.stderr).toContain(`report: rollout-reports/${runId}/report.html`);
  });

  test('README\'s vitest example passes in the project\'s own vitest (runConformance underneath)', () => {
    const before = runDirs(join(project.dir, 'rollout-reports'));
    writeFileSync(join(project.dir, 'rollout.test.ts'), readmeExample("from 'drainspec/vitest'"));
    const result = run(NODE_24, [join(project.dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'rollout.test.ts'], { cwd: project.dir, env: userEnv(project.dir), timeoutMs: 900_000 });
    expect(result.code, `${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`).toBe(0);
    expect(result.stdout).toMatch(/1 passed/);
    expect(runDirs(join(project.dir, 'rollout-reports')).length).toBe(before.length + 1);
  });
});
