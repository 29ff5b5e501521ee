// Parses argv into a command plus a config layer; pure so every flag is unit-tested.
import { parseArgs } from 'node:util';
import type { UserConfig } from '../config/define-config.ts';

export type Command =
  | { name: 'run'; layer: UserConfig; configPath?: string }
  | { name: 'cluster'; action: 'up' | 'down'; layer: UserConfig; configPath?: string }
  | { name: 'report-open'; reportDir?: string }
  | { name: 'help' };

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
  replicas: { type: 'string' },
  'grace-period': { type: 'string' },
  'drain-delay-ms': { type: 'string' },
  connections: { type: 'string' },
  rate: { type: 'string' },
  'max-failed': { type: 'string' },
  'max-drain-ms': { type: 'string' },
  repeat: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
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
  if (v.help || positionals.length === 0) return { name: 'help' };
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
    rollout: {
      replicas: integer('replicas', v.replicas),
      terminationGracePeriodSeconds: integer('grace-period', v['grace-period']),
      drainDelayMs: integer('drain-delay-ms', v['drain-delay-ms']),
    },
    load: { connections: integer('connections', v.connections), requestsPerSecond: integer('rate', v.rate) },
    thresholds: { maxFailedRequests: integer('max-failed', v['max-failed']), maxDrainMs: integer('max-drain-ms', v['max-drain-ms']) },
    repeat: integer('repeat', v.repeat),
    reportDir: v.report,
  };
  const configPath = v.config;
  const [command, sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" (see drainspec --help)`);
  switch (command) {
    case 'run':
      if (sub !== undefined) throw new UsageError(`unexpected argument "${sub}" after run (see drainspec --help)`);
      return { name: 'run', layer, configPath };
    case 'cluster':
      if (sub !== 'up' && sub !== 'down') throw new UsageError('cluster needs an action: drainspec cluster up|down');
      return { name: 'cluster', action: sub, layer, configPath };
    case 'report':
      if (sub !== 'open') throw new UsageError('report needs an action: drainspec report open [--report DIR]');
      return { name: 'report-open', reportDir: v.report };
    default:
      throw new UsageError(`unknown command "${command}": use run, cluster up|down or report open`);
  }
}

export const HELP = `drainspec — does your app survive a Kubernetes rollout without dropping a single request?

Usage:
  drainspec run [options]            run the scenario matrix and write reports
  drainspec cluster up|down          create or delete the local kind cluster
  drainspec report open [--report D] print (and open, where a desktop exists) the latest report.html

Options:
  --config FILE          config file (default: ./drainspec.config.ts when present)
  --provider kind|existing   kind (default) creates/reuses a local cluster; existing uses your kubeconfig
  --context NAME         the only kubeconfig context used with --provider existing (required there)
  --kubeconfig FILE      kubeconfig for --provider existing (default: $KUBECONFIG or ~/.kube/config)
  --cluster-name NAME    kind cluster name (default: drainspec)
  --node-image REF       kind node image (default: official pinned image, else the air-gapped build)
  --rebuild              rebuild the air-gapped node image and its artifacts
  --keep-cluster         keep the cluster afterwards (each scenario's namespace is deleted either way)
  --scenario GLOB        scenario ids to run, e.g. 'graceful/**' or '*/rollout-restart/*' (repeatable)
  --image REF            test your own image instead of the sample app; --port N (default 8080),
                         --path P (default /) --readiness-path P (default /readyz)
  --manifests PATH       test your own Deployment + Service (YAML file or directory) instead of an image
  --method GET|POST      method of your app's requests (default GET; POST sends a small JSON body, never retried)
  --ok-status LIST       statuses that count as ok (default 200-399), e.g. 200,204
  --slow-path P --sse-path P --ws-path P   your app's slow, SSE and WebSocket endpoints: each adds a scenario
  --clients strict|retrying   the client model that decides the exit code (default strict: no retries);
                         both are always judged and reported (env DRAINSPEC_CLIENTS)
  --sample-image REF     the sample app as pushed to your registry (--provider existing without --image)
  --replicas N --grace-period S --drain-delay-ms MS
  --connections N --rate RPS   load shape
  --max-failed N --max-drain-ms MS   thresholds (default 0 failed requests; drain within the grace period)
  --repeat N             run the matrix N times and compare verdicts
  --report DIR           report root (default: reports); writes DIR/<run-id>/report.{html,json}, junit.xml

Exit codes: 0 every verdict matched its expectation, 1 a verdict did not, 2 usage or set-up error.

Examples:
  npx drainspec run --report reports
  npx drainspec run --scenario 'graceful/**' --repeat 3
  npx drainspec run --provider existing --context staging --image registry.example/app:1.2 --port 3000
`;
