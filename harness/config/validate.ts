// Checks a merged config; every problem is one line naming the option and the fix.
import type { DrainspecConfig } from './defaults.ts';
import { checkEndpointPath } from '../load/stream-clients.ts';
import { parseStatusSet } from './status-set.ts';

export function validateConfig(config: DrainspecConfig): void {
  const problems: string[] = [];
  const positiveInt = (value: number, name: string, max: number) => {
    if (!Number.isInteger(value) || value <= 0 || value > max) problems.push(`${name} must be an integer in 1..${max}, got ${value}`);
  };
  if (config.provider !== 'kind' && config.provider !== 'existing') problems.push(`provider must be "kind" or "existing", got "${String(config.provider)}"`);
  if (config.provider === 'existing' && !config.existing.context) problems.push('--context is required with --provider existing: name the kubeconfig context drainspec may use');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(config.cluster.name)) problems.push(`cluster.name "${config.cluster.name}" must be a DNS label (lowercase letters, digits, -)`);
  positiveInt(config.rollout.replicas, 'rollout.replicas', 20);
  positiveInt(config.rollout.terminationGracePeriodSeconds, 'rollout.terminationGracePeriodSeconds', 600);
  positiveInt(config.load.connections, 'load.connections', 256);
  positiveInt(config.load.requestsPerSecond, 'load.requestsPerSecond', 20_000);
  positiveInt(config.load.requestTimeoutMs, 'load.requestTimeoutMs', 120_000);
  positiveInt(config.repeat, 'repeat', 10);
  positiveInt(config.app.port, 'app.port', 65_535);
  if (config.rollout.drainDelayMs < 0 || config.rollout.drainDelayMs >= config.rollout.terminationGracePeriodSeconds * 1000) {
    problems.push(`rollout.drainDelayMs (${config.rollout.drainDelayMs}) must be ≥ 0 and shorter than the grace period (${config.rollout.terminationGracePeriodSeconds}s)`);
  }
  if (!Number.isInteger(config.thresholds.maxFailedRequests) || config.thresholds.maxFailedRequests < 0) problems.push(`thresholds.maxFailedRequests must be a whole number ≥ 0, got ${config.thresholds.maxFailedRequests}`);
  if (!Number.isInteger(config.thresholds.maxDrainMs) || config.thresholds.maxDrainMs < 0) problems.push(`thresholds.maxDrainMs must be a whole number of ms ≥ 0 (0 = the grace period), got ${config.thresholds.maxDrainMs}`);
  if (config.app.image && config.app.manifests) problems.push('give either --image or --manifests, not both');
  for (const [name, path] of [['app.requestPath', config.app.requestPath], ['app.readinessPath', config.app.readinessPath]] as const) {
    if (!path.startsWith('/')) problems.push(`${name} must start with /, got "${path}"`);
  }
  for (const [flag, path] of [['--slow-path', config.app.slowPath], ['--sse-path', config.app.ssePath], ['--ws-path', config.app.wsPath]] as const) {
    try {
      if (path) checkEndpointPath(flag, path);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (config.clients !== 'strict' && config.clients !== 'retrying') problems.push(`--clients (clients, DRAINSPEC_CLIENTS) must be strict or retrying, got "${String(config.clients)}"`);
  if (config.app.method !== 'GET' && config.app.method !== 'POST') problems.push(`--method must be GET or POST, got "${String(config.app.method)}"`);
  try {
    parseStatusSet(config.app.okStatus);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
