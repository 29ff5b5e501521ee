// The agents' Job: one Indexed pod per agent, all at once, never retried, spread over the nodes, bounded in time,
// labelled as drainspec's; the namespace, pod and node reach the agent through the downward API.
import type { V1Job } from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from '../k8s/namespace.ts';
import type { AgentParams } from './agent.ts';
import { AGENT_DEFAULTS, AGENT_ENV } from './defaults.ts';

export interface AgentJobSpec {
  namespace: string;
  image: string;
  agents: number;
  params: AgentParams;
  /** Default AGENT_DEFAULTS.jobName. */
  name?: string;
  /** Kind-loaded images are never pulled (default 'Never'). */
  imagePullPolicy?: 'Never' | 'IfNotPresent' | 'Always';
  /** Labels the Job and pods with the run, like the run's namespace. */
  runId?: string;
}

export const AGENT_COMPONENT = 'load-agent';
/** Names the pods of one agents Job (the spread constraint and runAgents select on it). */
export const AGENTS_JOB_LABEL = 'drainspec.io/load-agents';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** The Job's hard limit: the load, one request timeout to stop, and slack for start-up and the stop. */
export function agentJobDeadlineSeconds(params: Pick<AgentParams, 'maxDurationMs' | 'requestTimeoutMs'>): number {
  return Math.ceil((params.maxDurationMs + params.requestTimeoutMs) / 1000) + AGENT_DEFAULTS.jobDeadlineSlackSeconds;
}

export function agentJob(spec: AgentJobSpec): V1Job {
  if (!Number.isInteger(spec.agents) || spec.agents < 1 || spec.agents > AGENT_DEFAULTS.maxAgents) throw new Error(`agents must be in 1..${AGENT_DEFAULTS.maxAgents}, got ${spec.agents}`);
  const name = spec.name ?? AGENT_DEFAULTS.jobName;
  const labels = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': AGENT_COMPONENT,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [AGENTS_JOB_LABEL]: name,
    ...(spec.runId === undefined ? {} : { [RUN_ID_LABEL]: spec.runId }),
  };
  const fieldEnv = (envName: string, fieldPath: string) => ({ name: envName, valueFrom: { fieldRef: { fieldPath } } });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: spec.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: spec.agents,
      parallelism: spec.agents,
      backoffLimit: 0,
      activeDeadlineSeconds: agentJobDeadlineSeconds(spec.params),
      ttlSecondsAfterFinished: AGENT_DEFAULTS.ttlSecondsAfterFinished,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // A stop is a SIGTERM: the agent waits up to one request timeout for what is in flight, then prints its end.
          terminationGracePeriodSeconds: Math.ceil(spec.params.requestTimeoutMs / 1000) + 10,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { [AGENTS_JOB_LABEL]: name } } }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: AGENT_DEFAULTS.container,
            image: spec.image,
            imagePullPolicy: spec.imagePullPolicy ?? 'Never',
            env: [
              { name: AGENT_ENV.params, value: JSON.stringify(spec.params) },
              fieldEnv(AGENT_ENV.namespace, 'metadata.namespace'),
              fieldEnv(AGENT_ENV.pod, 'metadata.name'),
              fieldEnv(AGENT_ENV.node, 'spec.nodeName'),
            ],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  };
}
