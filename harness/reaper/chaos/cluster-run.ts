// A run that creates its own kind cluster, for the chaos command and the cluster tests: the CLI's run guard and
// reaper around a real `kind create cluster`, but one node and no published NodePorts (so it can be created beside
// the kind cluster the tests use, whose NodePorts it would otherwise collide with), and instead of scenarios one
// labelled namespace. Then it waits to be stopped. Usage: node cluster-run.ts <cluster-name> [--keep]
import { DEFAULT_KIND_OPTIONS, startKindCluster } from '../../cluster/kind-cluster.ts';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../../config/defaults.ts';
import { startRunGuard } from '../../lifecycle/run-guard.ts';
import { InterruptedError } from '../../lifecycle/interrupted.ts';
import { connect } from '../../k8s/client.ts';
import { createRunNamespace } from '../../k8s/namespace.ts';
import { createProgress } from '../../progress/progress.ts';
import { newRunId } from '../../run/run-id.ts';

const name = process.argv[2] ?? 'drainspec-chaos';
const keep = process.argv.includes('--keep');
const config: DrainspecConfig = { ...DEFAULT_CONFIG, provider: 'kind', cluster: { ...DEFAULT_CONFIG.cluster, name, keep } };
const progress = createProgress();
const runId = newRunId();
const MAX_WAIT_MS = 30 * 60_000;

try {
  await using guard = await startRunGuard({ runId, config, progress, handleProcessSignals: true });
  const cluster = await startKindCluster({ ...DEFAULT_KIND_OPTIONS, name, nodeImage: '', keep, rebuild: false, workers: 0, nodePorts: { first: 30000, count: 0 }, progress });
  const clients = connect(cluster.context, '', { signal: guard.signal });
  await guard.targetOpened({ clients, environment: {} });
  await createRunNamespace(clients, runId, 0);
  progress.line(`run ${runId}: kind cluster ${name} up with namespace ${runId}-0; waiting to be stopped`);
  // Bounded: a forgotten stand-in ends by itself (and its cluster goes with the guard's cleanup).
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, MAX_WAIT_MS);
    guard.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(guard.signal.reason as Error);
    });
  });
} catch (error) {
  if (!(error instanceof InterruptedError)) {
    progress.line(`cluster-run: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
