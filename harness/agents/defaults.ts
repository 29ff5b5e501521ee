// Names, limits and deadlines of the in-cluster load agents, in one place.
export const AGENT_DEFAULTS = {
  /** Job (and container) name; pods are `<jobName>-<index>-<suffix>`. */
  jobName: 'drainspec-load-agents',
  container: 'agent',
  imageRepository: 'drainspec/load-agent',
  /** At most this many agents in one Job. */
  maxAgents: 16,
  /** How often an agent prints a clock line. */
  clockIntervalMs: 1_000,
  /** How long an agent buffers output lines before writing them (a clock line is written at once). */
  flushIntervalMs: 50,
  /** Until every agent pod runs: scheduling plus a local image, no pull. */
  podsRunningMs: 120_000,
  /** After a stop (or the agents' own deadline), beyond the request timeout, for every end line to arrive. */
  endLinesMs: 20_000,
  /** The Job's own hard limit beyond the load's duration and request timeout: pod start-up and the stop. */
  jobDeadlineSlackSeconds: 180,
  /** Finished Jobs (and their pods' logs) are kept this long for a look, then removed by the cluster. */
  ttlSecondsAfterFinished: 600,
  /** Re-follows of one agent's log after the stream broke before its end line. */
  maxLogResumes: 3,
  /** An agent prints a clock line every second: a log stream silent this long has stalled. */
  logIdleMs: 15_000,
} as const;

/** The env variables the agent reads (the Job sets them; the namespace, pod and node come from the downward API). */
export const AGENT_ENV = {
  params: 'DRAINSPEC_AGENT_PARAMS',
  namespace: 'DRAINSPEC_AGENT_NAMESPACE',
  pod: 'DRAINSPEC_AGENT_POD',
  node: 'DRAINSPEC_AGENT_NODE',
  /** Set by the Job controller for an Indexed Job. */
  index: 'JOB_COMPLETION_INDEX',
} as const;
