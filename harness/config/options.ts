// Each option's three spellings (config key, env var, flag), as in README.md's table, and where a loaded config's
// values came from — so that every message names what the user actually typed.

export interface OptionSpelling {
  flag?: string;
  env?: string;
}

/** Config key (dotted) → its flag and env var. Keys with neither are set in the config file only. */
export const OPTIONS: Readonly<Record<string, OptionSpelling>> = {
  provider: { flag: '--provider', env: 'DRAINSPEC_PROVIDER' },
  'cluster.name': { flag: '--cluster-name', env: 'DRAINSPEC_CLUSTER_NAME' },
  'cluster.nodeImage': { flag: '--node-image', env: 'DRAINSPEC_NODE_IMAGE' },
  'cluster.keep': { flag: '--keep-cluster', env: 'DRAINSPEC_KEEP_CLUSTER' },
  'cluster.rebuild': { flag: '--rebuild', env: 'DRAINSPEC_REBUILD' },
  'existing.context': { flag: '--context', env: 'DRAINSPEC_CONTEXT' },
  'existing.kubeconfig': { flag: '--kubeconfig', env: 'DRAINSPEC_KUBECONFIG' },
  'app.image': { flag: '--image', env: 'DRAINSPEC_APP_IMAGE' },
  'app.manifests': { flag: '--manifests', env: 'DRAINSPEC_MANIFESTS' },
  'app.sampleImage': { flag: '--sample-image', env: 'DRAINSPEC_SAMPLE_IMAGE' },
  'app.port': { flag: '--port', env: 'DRAINSPEC_APP_PORT' },
  'app.requestPath': { flag: '--path' },
  'app.readinessPath': { flag: '--readiness-path' },
  'app.method': { flag: '--method' },
  'app.okStatus': { flag: '--ok-status' },
  'app.slowPath': { flag: '--slow-path' },
  'app.ssePath': { flag: '--sse-path' },
  'app.wsPath': { flag: '--ws-path' },
  clients: { flag: '--clients', env: 'DRAINSPEC_CLIENTS' },
  scenarios: { flag: '--scenario', env: 'DRAINSPEC_SCENARIOS' },
  via: { flag: '--via', env: 'DRAINSPEC_VIA' },
  'ingress.className': { flag: '--ingress-class', env: 'DRAINSPEC_INGRESS_CLASS' },
  'ingress.host': { flag: '--host', env: 'DRAINSPEC_INGRESS_HOST' },
  'ingress.url': { flag: '--ingress-url', env: 'DRAINSPEC_INGRESS_URL' },
  'rollout.replicas': { flag: '--replicas' },
  'rollout.terminationGracePeriodSeconds': { flag: '--grace-period' },
  'rollout.drainDelayMs': { flag: '--drain-delay-ms' },
  'load.connections': { flag: '--connections' },
  'load.requestsPerSecond': { flag: '--rate' },
  'load.from': { flag: '--load-from', env: 'DRAINSPEC_LOAD_FROM' },
  'load.agents': { flag: '--agents', env: 'DRAINSPEC_AGENTS' },
  'load.agentImage': { flag: '--agent-image', env: 'DRAINSPEC_AGENT_IMAGE' },
  'thresholds.maxFailedRequests': { flag: '--max-failed' },
  'thresholds.maxDrainMs': { flag: '--max-drain-ms' },
  repeat: { flag: '--repeat', env: 'DRAINSPEC_REPEAT' },
  parallel: { flag: '--parallel', env: 'DRAINSPEC_PARALLEL' },
  reportDir: { flag: '--report', env: 'DRAINSPEC_REPORT_DIR' },
};

/** Where a value came from: a flag, an env var, the config file (its path), or the defaults. */
export type Origin = { layer: 'flag' } | { layer: 'env' } | { layer: 'file'; path: string } | { layer: 'default' };

/** Names option `key` as the user set it: `--rate`, `DRAINSPEC_REPEAT`, `load.requestsPerSecond in drainspec.config.ts`. */
export function optionLabel(key: string, origin: Origin = { layer: 'default' }): string {
  const spelling = OPTIONS[key] ?? {};
  switch (origin.layer) {
    case 'flag':
      return spelling.flag ?? key;
    case 'env':
      return spelling.env ?? key;
    case 'file':
      return `${key} in ${origin.path}`;
    case 'default':
      return spelling.flag ? `${spelling.flag} (${key} in drainspec.config.ts)` : `${key} in drainspec.config.ts`;
  }
}

const origins = new WeakMap<object, (key: string) => Origin>();

/** Remembers where each of `config`'s values came from (set by loadConfig). */
export function recordOrigins(config: object, originOf: (key: string) => Origin): void {
  origins.set(config, originOf);
}

/** `optionLabel` for a loaded config's value; a config built in code names the flag and the key. */
export function labelIn(config: object, key: string): string {
  return optionLabel(key, origins.get(config)?.(key));
}
