// Checks a merged config; every problem is one line naming the option as the user set it (flag, env var or config
// file key) and the fix.
import { MAX_PARALLEL, type DrainspecConfig } from './defaults.ts';
import { VIAS } from '../model/run-data.ts';
import { isServiceName } from '../load/target-host.ts';
import { checkEndpointPath } from '../load/stream-clients.ts';
import { IMAGE_REFERENCE_HINT, isImageReference } from './image-ref.ts';
import { labelIn, OPTIONS } from './options.ts';
import { parseStatusSet } from './status-set.ts';

export function validateConfig(config: DrainspecConfig): void {
  const problems: string[] = [];
  const name = (key: string) => labelIn(config, key);
  const value = (key: string): unknown => key.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown>)[part], config);
  const positiveInt = (key: string, max: number) => {
    const v = value(key) as number;
    if (!Number.isInteger(v) || v <= 0 || v > max) problems.push(`${name(key)} must be a whole number in 1..${max}, got ${v}`);
  };
  const wholeNumber = (key: string, unit: string) => {
    const v = value(key) as number;
    if (!Number.isInteger(v) || v < 0) problems.push(`${name(key)} must be a whole number${unit} ≥ 0, got ${v}`);
  };
  /** Messages of helpers that name the flag: named as the user set the option instead. */
  const renamed = (key: string, message: string) => {
    const flag = OPTIONS[key]?.flag ?? '';
    return flag && message.startsWith(flag) ? `${name(key)}${message.slice(flag.length)}` : message;
  };

  if (config.provider !== 'kind' && config.provider !== 'existing') problems.push(`${name('provider')} must be kind or existing, got "${String(config.provider)}"`);
  if (config.provider === 'existing' && !config.existing.context) problems.push(`${name('existing.context')} is required with ${name('provider')} existing: name the kubeconfig context drainspec may use`);
  // A context given for kind would be silently ignored: the run would test the local cluster, not the one named.
  for (const key of ['existing.context', 'existing.kubeconfig']) {
    if (config.provider === 'kind' && value(key)) problems.push(`${name(key)} is for ${name('provider')} existing: add --provider existing to use it, or drop it to run on the local kind cluster`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(config.cluster.name)) problems.push(`${name('cluster.name')} "${config.cluster.name}" must be a DNS label (lowercase letters, digits, -)`);
  positiveInt('rollout.replicas', 20);
  positiveInt('rollout.terminationGracePeriodSeconds', 600);
  positiveInt('load.connections', 256);
  positiveInt('load.requestsPerSecond', 20_000);
  positiveInt('load.agents', 16);
  positiveInt('load.requestTimeoutMs', 120_000);
  positiveInt('repeat', 10);
  // kind publishes 10 NodePorts (30080–30089); each running scenario holds one.
  positiveInt('parallel', MAX_PARALLEL);
  positiveInt('app.port', 65_535);
  // The drain delay is the sample app's: your image or manifests drain by their own settings.
  const sampleAppUnderTest = !config.app.image && !config.app.manifests;
  const { drainDelayMs, terminationGracePeriodSeconds } = config.rollout;
  if (sampleAppUnderTest && (drainDelayMs < 0 || drainDelayMs >= terminationGracePeriodSeconds * 1000)) {
    problems.push(`${name('rollout.drainDelayMs')} (${drainDelayMs}) must be ≥ 0 and shorter than ${name('rollout.terminationGracePeriodSeconds')} (${terminationGracePeriodSeconds} s): the sample app drains within its grace period`);
  }
  wholeNumber('thresholds.maxFailedRequests', '');
  wholeNumber('thresholds.maxDrainMs', ' of ms (0 = the grace period)');
  if (config.app.image && config.app.manifests) problems.push(`give either ${name('app.image')} or ${name('app.manifests')}, not both`);
  if (config.load.from !== 'host' && config.load.from !== 'cluster') problems.push(`${name('load.from')} must be host or cluster, got "${String(config.load.from)}"`);
  if (config.load.from === 'cluster' && config.provider === 'existing' && !config.load.agentImage) {
    problems.push(`${name('load.from')} cluster on a cluster of yours needs --agent-image (DRAINSPEC_AGENT_IMAGE): the load agent image pushed to a registry it pulls from`);
  }
  for (const key of ['app.image', 'app.sampleImage', 'cluster.nodeImage', 'load.agentImage']) {
    const ref = value(key) as string;
    if (ref && !isImageReference(ref)) problems.push(`${name(key)} "${ref}" is not a valid image reference: ${IMAGE_REFERENCE_HINT}`);
  }
  for (const key of ['app.requestPath', 'app.readinessPath']) {
    const path = value(key) as string;
    if (!path.startsWith('/')) problems.push(`${name(key)} must start with /, got "${path}"`);
  }
  for (const key of ['app.slowPath', 'app.ssePath', 'app.wsPath']) {
    const path = value(key) as string;
    try {
      if (path) checkEndpointPath(OPTIONS[key]?.flag ?? key, path);
    } catch (error) {
      problems.push(renamed(key, (error as Error).message));
    }
  }
  const unknownVia = config.via.filter((v) => !(VIAS as readonly string[]).includes(v));
  if (unknownVia.length > 0) problems.push(`${name('via')} takes ${VIAS.join(' and/or ')}, got "${unknownVia.join(',')}"`);
  if (config.provider === 'existing' && config.via.includes('ingress') && !config.ingress.className) {
    problems.push(`${name('via')} ingress on a cluster of yours needs --ingress-class (DRAINSPEC_INGRESS_CLASS): the IngressClass of its ingress controller`);
  }
  if (config.ingress.className && !config.ingress.url) {
    problems.push(`${name('ingress.className')} needs --ingress-url (DRAINSPEC_INGRESS_URL): where the load reaches that controller — http://127.0.0.1:<port> through a tunnel, or with --load-from cluster its Service, http://<svc>.<namespace>.svc.cluster.local:<port>`);
  }
  if (config.ingress.url) {
    const url = URL.canParse(config.ingress.url) ? new URL(config.ingress.url) : undefined;
    const fromCluster = config.load.from === 'cluster';
    const fits = url !== undefined && url.protocol === 'http:' && (fromCluster ? isServiceName(url.hostname) : url.hostname === '127.0.0.1');
    if (!fits) {
      problems.push(`${name('ingress.url')} must be ${fromCluster ? 'the ingress controller\'s Service by cluster DNS name, http://<svc>.<namespace>.svc.cluster.local:<port>, with --load-from cluster' : 'http://127.0.0.1:<port> (a tunnel to the controller) when the load runs on this host'}, got "${config.ingress.url}"`);
    }
    if (!config.ingress.className) problems.push(`${name('ingress.url')} is for a controller of the cluster's: give its class with --ingress-class`);
  }
  if (config.ingress.host && !/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(config.ingress.host)) {
    problems.push(`${name('ingress.host')} must be a DNS name like app.example.com, got "${config.ingress.host}"`);
  }
  if (config.ingress.className && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(config.ingress.className)) {
    problems.push(`${name('ingress.className')} must be an IngressClass name (lower-case letters, digits, - and .), got "${config.ingress.className}"`);
  }
  if (config.clients !== 'strict' && config.clients !== 'retrying') problems.push(`${name('clients')} must be strict or retrying, got "${String(config.clients)}"`);
  if (config.app.method !== 'GET' && config.app.method !== 'POST') problems.push(`${name('app.method')} must be GET or POST, got "${String(config.app.method)}"`);
  try {
    parseStatusSet(config.app.okStatus);
  } catch (error) {
    problems.push(renamed('app.okStatus', (error as Error).message));
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
