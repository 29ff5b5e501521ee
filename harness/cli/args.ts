// Parses argv into a command plus a config layer; pure so every flag is unit-tested.
import { parseArgs } from 'node:util';
import type { UserConfig } from '../config/define-config.ts';
import type { HelpTopic } from './help.ts';

export type Command =
  | { name: 'run'; layer: UserConfig; configPath?: string }
  | { name: 'cluster'; action: 'up' | 'down'; layer: UserConfig; configPath?: string }
  | { name: 'list'; layer: UserConfig; configPath?: string }
  | { name: 'report-open'; reportDir?: string }
  | { name: 'help'; topic?: HelpTopic }
  | { name: 'version' };

export class UsageError extends Error {}

const options = {
  config: { type: 'string' },
  provider: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'cluster-name': { type: 'string' },
  'node-image': { type: 'string' },
  'keep-cluster': { type: 'boolean' },
  rebuild: { type: 'boolean' },
  scenario: { type: 'string', multiple: true },
  image: { type: 'string' },
  'sample-image': { type: 'string' },
  manifests: { type: 'string' },
  port: { type: 'string' },
  path: { type: 'string' },
  'readiness-path': { type: 'string' },
  method: { type: 'string' },
  'ok-status': { type: 'string' },
  'slow-path': { type: 'string' },
  'sse-path': { type: 'string' },
  'ws-path': { type: 'string' },
  clients: { type: 'string' },
  via: { type: 'string', multiple: true },
  'ingress-class': { type: 'string' },
  host: { type: 'string' },
  'ingress-url': { type: 'string' },
  replicas: { type: 'string' },
  'grace-period': { type: 'string' },
  'drain-delay-ms': { type: 'string' },
  connections: { type: 'string' },
  rate: { type: 'string' },
  'load-from': { type: 'string' },
  agents: { type: 'string' },
  'agent-image': { type: 'string' },
  'max-failed': { type: 'string' },
  'max-drain-ms': { type: 'string' },
  repeat: { type: 'string' },
  parallel: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${flag} expects a whole number, got "${value}"`);
  return Number(value);
}

/** node:util's parse errors, said as what to fix (`--rate needs a value`), with a near flag for a typo. */
function usageProblem(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(message);
  if (unknown) {
    const near = nearestFlag(unknown[1] as string);
    return `unknown flag ${unknown[1]}${near ? `: did you mean ${near}?` : ''} (see drainspec --help)`;
  }
  const missing = /^Option '(--[a-z-]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value (see drainspec --help)`;
  const noValue = /^Option '(--[a-z-]+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1]} is a switch and takes no value: drop "=${argv.find((a) => a.startsWith(`${noValue[1]}=`))?.split('=').slice(1).join('=') ?? ''}"`;
  // node:util reports `--rate -5` and `--rate --repeat 2` as "ambiguous": say which of the two it is.
  const ambiguous = /^Option '(--[a-z-]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const flag = ambiguous[1] as string;
    const next = argv[argv.indexOf(flag) + 1] ?? '';
    return /^-\d/.test(next) ? `${flag} expects a positive value, got "${next}"` : `${flag} needs a value, but is followed by ${next} (see drainspec --help)`;
  }
  return `${message} (see drainspec --help)`;
}

const FLAGS = Object.keys(options).map((name) => `--${name}`);

/** The flag within two edits of `typed`, if one is. */
function nearestFlag(typed: string): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j] as number;
        row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length] as number;
  };
  const name = `--${typed.replace(/^-+/, '').split('=')[0]}`;
  const [best] = FLAGS.map((flag) => ({ flag, d: distance(name, flag) })).sort((a, b) => a.d - b.d);
  return best && best.d <= 2 ? best.flag : undefined;
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageProblem((error as Error).message.split('\n')[0] as string, argv));
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { name: 'version' };
  if (positionals.length === 0) return { name: 'help' };
  if (v.help) {
    const topic = positionals[0];
    return topic === 'run' || topic === 'list' || topic === 'cluster' || topic === 'report' ? { name: 'help', topic } : { name: 'help' };
  }
  const provider = v.provider;
  if (provider !== undefined && provider !== 'kind' && provider !== 'existing') {
    throw new UsageError(`--provider must be kind or existing, got "${provider}"`);
  }
  const layer: UserConfig = {
    provider,
    cluster: { name: v['cluster-name'], nodeImage: v['node-image'], keep: v['keep-cluster'], rebuild: v.rebuild },
    existing: { kubeconfig: v.kubeconfig, context: v.context },
    app: {
      image: v.image, manifests: v.manifests, sampleImage: v['sample-image'], port: integer('port', v.port), requestPath: v.path, readinessPath: v['readiness-path'],
      method: v.method?.toUpperCase() as 'GET' | 'POST' | undefined, okStatus: v['ok-status'], slowPath: v['slow-path'], ssePath: v['sse-path'], wsPath: v['ws-path'],
    },
    clients: v.clients as UserConfig['clients'],
    scenarios: v.scenario?.flatMap((s) => s.split(',')),
    via: v.via?.flatMap((s) => s.split(',')) as UserConfig['via'],
    ingress: { className: v['ingress-class'], host: v.host, url: v['ingress-url'] },
    rollout: {
      replicas: integer('replicas', v.replicas),
      terminationGracePeriodSeconds: integer('grace-period', v['grace-period']),
      drainDelayMs: integer('drain-delay-ms', v['drain-delay-ms']),
    },
    load: {
      connections: integer('connections', v.connections), requestsPerSecond: integer('rate', v.rate),
      from: v['load-from'] as 'host' | 'cluster' | undefined, agents: integer('agents', v.agents), agentImage: v['agent-image'],
    },
    thresholds: { maxFailedRequests: integer('max-failed', v['max-failed']), maxDrainMs: integer('max-drain-ms', v['max-drain-ms']) },
    repeat: integer('repeat', v.repeat),
    parallel: integer('parallel', v.parallel),
    reportDir: v.report,
  };
  const configPath = v.config;
  const [command, sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" (see drainspec --help)`);
  switch (command) {
    case 'run':
      if (sub !== undefined) throw new UsageError(`unexpected argument "${sub}" after run (see drainspec --help)`);
      return { name: 'run', layer, configPath };
    case 'list':
      if (sub !== undefined) throw new UsageError(`unexpected argument "${sub}" after list (see drainspec list --help)`);
      return { name: 'list', layer, configPath };
    case 'cluster':
      if (sub !== 'up' && sub !== 'down') throw new UsageError('cluster needs an action: drainspec cluster up|down');
      return { name: 'cluster', action: sub, layer, configPath };
    case 'report':
      if (sub !== 'open') throw new UsageError('report needs an action: drainspec report open [--report DIR]');
      return { name: 'report-open', reportDir: v.report };
    default:
      throw new UsageError(`unknown command "${command}": use run, list, cluster up|down or report open`);
  }
}
