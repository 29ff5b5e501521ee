import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { AgentParams } from './agent.ts';
import { AGENT_ENV } from './defaults.ts';
import { importClosure, runtimeImports } from './import-closure.ts';
import { agentJob } from './job.ts';

const params: AgentParams = { target: 'http://app.ns-1.svc.cluster.local:80', profile: 'keepalive', connections: 4, requestsPerSecond: 100, requestTimeoutMs: 5_000, maxDurationMs: 60_000, maxRequests: 10_000 };

describe('agents Job', () => {
  test('one Indexed pod per agent, all at once, never retried, bounded in time, spread over nodes', () => {
    const job = agentJob({ namespace: 'ns-1', image: 'drainspec/load-agent:k', agents: 3, params, runId: 'r1' });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 0, activeDeadlineSeconds: 65 + 180, ttlSecondsAfterFinished: 600 });
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.terminationGracePeriodSeconds).toBe(15);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'drainspec.io/load-agents': 'drainspec-load-agents' } } }]);
    expect(job.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'drainspec', 'drainspec.io/run-id': 'r1', 'app.kubernetes.io/component': 'load-agent' });
    expect(job.spec!.template.metadata?.labels).toEqual(job.metadata?.labels);
    const container = pod.containers[0]!;
    expect(container.imagePullPolicy).toBe('Never');
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
    expect(env).toEqual({ [AGENT_ENV.params]: JSON.stringify(params), [AGENT_ENV.namespace]: 'metadata.namespace', [AGENT_ENV.pod]: 'metadata.name', [AGENT_ENV.node]: 'spec.nodeName' });
  });

  test('agents out of range are refused', () => {
    expect(() => agentJob({ namespace: 'n', image: 'i', agents: 0, params })).toThrow(/agents must be in 1\.\.16/);
    expect(() => agentJob({ namespace: 'n', image: 'i', agents: 17, params })).toThrow(/agents must be in 1\.\.16/);
  });
});

describe('agent image contents', () => {
  test('type-only imports are not followed; mixed ones, re-exports and dynamic imports are', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { type B, c } from './b.ts';",
      "import {\n  d,\n  e,\n} from './d.ts';",
      "export type { F } from './f.ts';",
      "export { g } from './g.ts';",
      "import 'side-effect';",
      "const h = await import('./h.ts');",
      "// import { x } from './comment.ts' is a comment, not an import",
    ].join('\n');
    expect(runtimeImports(source).sort()).toEqual(['./b.ts', './d.ts', './g.ts', './h.ts', 'side-effect']);
  });

  test('the agent ships the load client and the model, never the Kubernetes or process code', () => {
    const closure = importClosure(fileURLToPath(new URL('./agent-main.ts', import.meta.url)));
    const files = closure.files.map((f) => f.replace(/^.*?\/(harness|sample-apps)\//, '$1/'));
    expect(files[0]).toBe('harness/agents/agent-main.ts');
    expect(files).toContain('harness/load/accounted-load.ts');
    expect(files).toContain('harness/load/target-host.ts');
    expect(files.filter((f) => /k8s\/|sh\.ts|images\/|run-agents/.test(f))).toEqual([]);
    expect(closure.packages).toEqual(['ws']);
  });
});
