// npm run chaos: SIGKILL drainspec runs at random moments and count what they leave 60 s later (issue 11: a run
// that is killed leaves nothing behind). DRAINSPEC_CHAOS_RUNS runs of the real CLI on the kept kind cluster
// (default 20; pod-delete and node-drain scenarios in turn), then DRAINSPEC_CHAOS_CLUSTER_RUNS runs that create a
// kind cluster of their own (default 4; cluster-run.ts). Prints one line per kill and a summary; writes
// reports/chaos/<time>.json; exits 1 when anything was left.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../config/defaults.ts';
import { killTrial, REPO_ROOT, type KillOutcome } from './kill-run.ts';

const runs = Number(process.env.DRAINSPEC_CHAOS_RUNS ?? 20);
const clusterRuns = Number(process.env.DRAINSPEC_CHAOS_CLUSTER_RUNS ?? 4);
const clusterName = process.env.DRAINSPEC_CLUSTER_NAME ?? DEFAULT_CONFIG.cluster.name;
const CLEAN_WITHIN_MS = 60_000;
/** Kill moments: from start-up through set-up, deploy, load, trigger and the scenario's own cleanup (~60 s here). */
const RUN_KILL_WINDOW_MS = [500, 70_000] as const;
/** For runs that create a cluster: during `kind create` and after (creation takes ~25 s here). */
const CLUSTER_KILL_WINDOW_MS = [1_000, 40_000] as const;
const SCENARIOS = ['graceful/pod-delete/keepalive', 'graceful/node-drain/keepalive'];

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(REPO_ROOT, 'reports', 'chaos', stamp);
const between = ([low, high]: readonly [number, number]) => Math.round(low + Math.random() * (high - low));

function describe(i: number, kind: string, outcome: KillOutcome): string {
  if (outcome.killedAtMs === undefined) return `${kind} ${i}: not killed (${outcome.phase})`;
  const left = outcome.left;
  const counts = left ? `namespaces ${left.namespaces.length}, cordons ${left.cordoned.length}, cluster nodes ${left.clusterNodes.length}, reaper ${left.reaperAlive ? 'alive' : 'gone'}` : 'nothing created';
  const clean = outcome.cleanAfterMs !== undefined ? `clean after ${(outcome.cleanAfterMs / 1000).toFixed(1)} s` : left ? `NOT CLEAN after ${CLEAN_WITHIN_MS / 1000} s` : 'clean';
  return `${kind} ${i}: SIGKILL at ${(outcome.killedAtMs / 1000).toFixed(1)} s during "${outcome.phase.slice(0, 90)}" → ${clean} (${counts})${outcome.runId ? ` [run ${outcome.runId}]` : ''}`;
}

const outcomes: Array<{ kind: string; outcome: KillOutcome }> = [];
// Bounded: at most twice the kills asked for (a run can end by itself first, e.g. when another run holds the ports).
for (let attempt = 1, kills = 0; kills < runs && attempt <= 2 * runs; attempt++) {
  const scenario = SCENARIOS[attempt % SCENARIOS.length] as string;
  const outcome = await killTrial({
    args: ['bin/drainspec.js', 'run', '--keep-cluster', '--cluster-name', clusterName, '--scenario', scenario, '--report', join(outDir, 'reports')],
    killAtMs: between(RUN_KILL_WINDOW_MS), context: `kind-${clusterName}`, cleanWithinMs: CLEAN_WITHIN_MS, logPath: join(outDir, `run-${attempt}.log`),
  });
  if (outcome.killedAtMs !== undefined) kills++;
  outcomes.push({ kind: 'run', outcome });
  console.log(describe(attempt, 'run', outcome));
}
for (let i = 1; i <= clusterRuns; i++) {
  const name = `drainspec-chaos-${i}`;
  const outcome = await killTrial({
    args: ['harness/reaper/chaos/cluster-run.ts', name], killAtMs: between(CLUSTER_KILL_WINDOW_MS), context: '', createdCluster: name,
    cleanWithinMs: CLEAN_WITHIN_MS, logPath: join(outDir, `cluster-run-${i}.log`),
  });
  outcomes.push({ kind: 'cluster-run', outcome });
  console.log(describe(i, 'cluster-run', outcome));
}

const killed = outcomes.filter((o) => o.outcome.killedAtMs !== undefined);
const sum = (pick: (o: KillOutcome) => number) => killed.reduce((total, o) => total + pick(o.outcome), 0);
const summary = {
  kills: killed.length,
  runKills: killed.filter((o) => o.kind === 'run').length,
  clusterRunKills: killed.filter((o) => o.kind === 'cluster-run').length,
  namespacesLeft: sum((o) => o.left?.namespaces.length ?? 0),
  cordonsLeft: sum((o) => o.left?.cordoned.length ?? 0),
  orphanedClusters: killed.filter((o) => (o.outcome.left?.clusterNodes.length ?? 0) > 0).length,
  reapersAlive: killed.filter((o) => o.outcome.left?.reaperAlive).length,
  slowestCleanMs: Math.max(0, ...killed.map((o) => o.outcome.cleanAfterMs ?? 0)),
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'chaos.json'), `${JSON.stringify({ summary, outcomes }, null, 2)}\n`);
console.log(`chaos: ${summary.kills} SIGKILLs (${summary.runKills} runs on ${clusterName}, ${summary.clusterRunKills} runs creating a cluster) → ${summary.namespacesLeft} run namespaces, ${summary.cordonsLeft} cordons, ${summary.orphanedClusters} orphaned clusters, ${summary.reapersAlive} reapers left ${CLEAN_WITHIN_MS / 1000} s after each kill; slowest cleanup ${(summary.slowestCleanMs / 1000).toFixed(1)} s (${join(outDir, 'chaos.json')})`);
process.exitCode = summary.namespacesLeft + summary.cordonsLeft + summary.orphanedClusters + summary.reapersAlive === 0 ? 0 : 1;
