// `drainspec --help` and `drainspec <command> --help`: every flag with what it does, its env variable and its
// default, from one table (spellings from config/options.ts, defaults from config/defaults.ts).
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { OPTIONS } from '../config/options.ts';

export type HelpTopic = 'run' | 'list' | 'cluster' | 'report';

interface FlagHelp {
  /** Config key (dotted), or the flag itself for flags that are no config option. */
  key: string;
  value?: string;
  text: string;
  /** Shown instead of the value in DEFAULT_CONFIG. */
  default?: string;
  topics: readonly HelpTopic[];
}

const RUN_LIST: readonly HelpTopic[] = ['run', 'list'];
const CLUSTER: readonly HelpTopic[] = ['run', 'list', 'cluster'];

const FLAGS: readonly FlagHelp[] = [
  { key: '--config', value: 'FILE', text: 'config file (export default defineConfig({...}) from drainspec)', default: './drainspec.config.{ts,mts,js,mjs} when present', topics: ['run', 'list', 'cluster'] },
  { key: 'provider', value: 'kind|existing', text: 'kind creates (or reuses) a local kind cluster; existing tests on a cluster of your kubeconfig', topics: CLUSTER },
  { key: 'cluster.name', value: 'NAME', text: 'kind cluster name; its kubectl context is kind-NAME', topics: ['run', 'cluster'] },
  { key: 'cluster.nodeImage', value: 'REF', text: "kind's node image (the Kubernetes node, not your app: that is --image)", default: 'the official pinned kindest/node, else an air-gapped build', topics: ['run', 'cluster'] },
  { key: 'cluster.keep', text: 'keep the kind cluster afterwards (each scenario\'s namespace is deleted either way)', topics: ['run'] },
  { key: 'cluster.rebuild', text: 'rebuild the air-gapped node image and its artifacts', topics: ['run', 'cluster'] },
  { key: 'existing.context', value: 'NAME', text: 'with --provider existing: the only kubeconfig context drainspec uses (required there)', topics: ['run', 'list'] },
  { key: 'existing.kubeconfig', value: 'FILE', text: 'with --provider existing: the kubeconfig', default: '$KUBECONFIG or ~/.kube/config', topics: ['run'] },
  { key: 'scenarios', value: 'GLOB', text: "scenario ids to run, globs over app/trigger/load, e.g. 'graceful/**' or '*/rollout-restart/*'; repeatable or comma-separated", default: 'the whole matrix (see drainspec list)', topics: RUN_LIST },
  { key: 'app.image', value: 'REF', text: "your app's container image, tested instead of the sample app (deployed from drainspec's templates; on kind, a local image is loaded into the nodes)", default: 'the sample app', topics: RUN_LIST },
  { key: 'app.manifests', value: 'PATH', text: 'your Deployment + its Service (a YAML file or directory), deployed as written: your grace period, probes, preStop and strategy', topics: RUN_LIST },
  { key: 'app.port', value: 'N', text: "your app's container port (--image)", topics: ['run'] },
  { key: 'app.requestPath', value: 'P', text: 'path of the load\'s requests to your app', topics: ['run'] },
  { key: 'app.readinessPath', value: 'P', text: "readiness probe path of your app (--image)", topics: ['run'] },
  { key: 'app.method', value: 'GET|POST', text: "method of the load's requests (POST sends a small JSON body and is never retried)", topics: ['run'] },
  { key: 'app.okStatus', value: 'LIST', text: 'statuses that count as ok, e.g. 200,204 or 200-299; any other fails with class bad-status', topics: ['run'] },
  { key: 'app.slowPath', value: 'P', text: 'your app\'s slow endpoint: adds a rollout under in-flight slow requests', default: 'none', topics: RUN_LIST },
  { key: 'app.ssePath', value: 'P', text: 'your app\'s SSE endpoint: adds a rollout under event streams', default: 'none', topics: RUN_LIST },
  { key: 'app.wsPath', value: 'P', text: 'your app\'s WebSocket endpoint: adds a rollout under WebSockets', default: 'none', topics: RUN_LIST },
  { key: 'app.sampleImage', value: 'REF', text: 'with --provider existing and no --image: the sample app as pushed to a registry your cluster pulls from', default: 'none (kind builds and loads it)', topics: ['run'] },
  { key: 'via', value: 'service|ingress', text: "the path the load takes: service = NodePort → kube-proxy → pod; ingress = an ingress controller → pod (on kind drainspec deploys Traefik in each scenario's namespace; on a cluster of yours give --ingress-class); repeatable or comma-separated", default: "the matrix's own (the sample matrix has both; your app: service)", topics: RUN_LIST },
  { key: 'ingress.className', value: 'NAME', text: "with --via ingress: the IngressClass of your cluster's own ingress controller (required with --provider existing)", default: "none (kind: drainspec's Traefik)", topics: RUN_LIST },
  { key: 'ingress.url', value: 'URL', text: "with --ingress-class: where the load reaches that controller: http://127.0.0.1:PORT (a tunnel or port-forward to it), or with --load-from cluster its Service, http://SVC.NS.svc.cluster.local:PORT", default: 'none', topics: ['run'] },
  { key: 'ingress.host', value: 'HOST', text: "with --via ingress: the host of the Ingress rule, for a controller that routes by host (the load sends it as Host)", default: 'any host', topics: ['run'] },
  { key: 'clients', value: 'strict|retrying', text: 'the client model whose verdict decides the exit code (both are always judged and reported): strict never retries; retrying retries an idempotent request once on a new connection', topics: RUN_LIST },
  { key: 'rollout.replicas', value: 'N', text: 'replicas of the app under test (every app: your manifests\' count is replaced too)', topics: ['run'] },
  { key: 'rollout.terminationGracePeriodSeconds', value: 'S', text: "terminationGracePeriodSeconds of the sample app and of --image; with --manifests your Deployment's own applies", topics: ['run'] },
  { key: 'rollout.drainDelayMs', value: 'MS', text: "sample app only: how long its graceful variants keep serving after SIGTERM before they close (covers endpoint propagation)", topics: ['run'] },
  { key: 'load.connections', value: 'N', text: 'concurrent connections of the HTTP load', topics: ['run'] },
  { key: 'load.requestsPerSecond', value: 'RPS', text: 'request rate of the HTTP load (paced scenarios)', topics: ['run'] },
  { key: 'load.from', value: 'host|cluster', text: "where the load runs: host = this process, to 127.0.0.1; cluster = in-cluster agents (a Job in each scenario's namespace, pods spread across nodes) that target the Service or the ingress by its cluster DNS name and stream every request record back (HTTP profiles; SSE and WebSocket scenarios need host)", topics: ['run'] },
  { key: 'load.agents', value: 'N', text: 'with --load-from cluster: how many agent pods share the load (--connections and --rate are totals, split between them)', topics: ['run'] },
  { key: 'load.agentImage', value: 'REF', text: 'with --load-from cluster on a cluster of yours: the load agent image pushed to a registry it pulls from', default: 'none (kind builds and loads it)', topics: ['run'] },
  { key: 'thresholds.maxFailedRequests', value: 'N', text: 'failed requests a passing scenario may have', topics: ['run'] },
  { key: 'thresholds.maxDrainMs', value: 'MS', text: 'longest drain (SIGTERM → exit) a passing pod may take; 0 = the grace period', topics: ['run'] },
  { key: 'repeat', value: 'N', text: 'run the matrix N times and compare the verdicts', topics: ['run'] },
  { key: 'parallel', value: 'N', text: 'run up to N scenarios at once (default: one per CPU core, at most 10), each in its own namespace on its own NodePort (node-drain scenarios run alone); a scenario in which the load client or the cluster was starved is an error, never a fail', topics: ['run'] },
  { key: 'reportDir', value: 'DIR', text: 'report root: writes DIR/<run-id>/report.html, report.json, junit.xml, summary.md', topics: ['run', 'report'] },
];

function defaultOf(flag: FlagHelp): string {
  if (flag.default !== undefined) return flag.default;
  let value: unknown = DEFAULT_CONFIG;
  for (const part of flag.key.split('.')) value = (value as Record<string, unknown>)[part];
  if (value === '' || (Array.isArray(value) && value.length === 0)) return 'none';
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}

function flagLines(topic: HelpTopic): string[] {
  return FLAGS.filter((f) => f.topics.includes(topic)).flatMap((f) => {
    const spelling = f.key.startsWith('--') ? { flag: f.key } : OPTIONS[f.key] ?? {};
    const head = `  ${spelling.flag ?? f.key}${f.value ? ` ${f.value}` : ''}`;
    const where = [spelling.env ? `env ${spelling.env}` : '', f.key.startsWith('--') ? '' : `config ${f.key}`, `default: ${defaultOf(f)}`].filter(Boolean).join('; ');
    return [head, `      ${f.text}`, `      (${where})`];
  });
}

const USAGE = `Usage:
  drainspec run [options]            run the scenarios on a cluster and write the reports
  drainspec list [options]           print the scenarios a run would run, with their expected verdicts
  drainspec cluster up|down          create or delete the local kind cluster
  drainspec report open [--report D] print (and open, where a desktop exists) the latest report.html
  drainspec --version                print the version

drainspec <command> --help explains each command's flags, env variables and defaults.`;

const EXIT_CODES = 'Exit codes: 0 every verdict matched its expectation, 1 a verdict did not, 2 usage or set-up error, 128 + n stopped by signal n.';

const TOPICS: Record<HelpTopic, { title: string; examples: string[]; after?: string }> = {
  run: {
    title: 'drainspec run [options] — deploy the app, roll it out under load for each scenario, judge every dropped request',
    examples: [
      'npx drainspec run --report reports',
      "npx drainspec run --scenario 'graceful/**' --repeat 3",
      'npx drainspec run --image registry.example/app:1.2 --port 3000 --path /api/items --grace-period 30',
      'npx drainspec run --manifests deploy/ --sse-path /events',
      'npx drainspec run --provider existing --context staging --image registry.example/app:1.2',
    ],
    after: EXIT_CODES,
  },
  list: {
    title: 'drainspec list [options] — the scenarios a run with these options would run and the verdict each must produce, for clients that never retry (strict) and for retrying ones; touches no cluster',
    examples: ['npx drainspec list', "npx drainspec list --scenario '*/rollout-restart/*'", 'npx drainspec list --image registry.example/app:1.2 --sse-path /events'],
  },
  cluster: {
    title: 'drainspec cluster up|down — create (or reuse) or delete the local kind cluster that drainspec run uses',
    examples: ['npx drainspec cluster up', 'npx drainspec cluster up --node-image kindest/node:v1.33.4', 'npx drainspec cluster down --cluster-name drainspec'],
  },
  report: {
    title: 'drainspec report open [--report DIR] — print the newest DIR/<run-id>/report.html (and open it where a desktop exists)',
    examples: ['npx drainspec report open', 'npx drainspec report open --report reports'],
  },
};

export function helpText(topic?: HelpTopic): string {
  if (!topic) {
    return `drainspec — does your app survive a Kubernetes rollout without dropping a single request?\n\n${USAGE}\n\n${EXIT_CODES}\n\nExamples:\n${[...TOPICS.run.examples, TOPICS.list.examples[0] as string].map((e) => `  ${e}`).join('\n')}\n`;
  }
  const t = TOPICS[topic];
  const lines = flagLines(topic);
  return `${t.title}\n\nOptions:\n${lines.join('\n')}\n${t.after ? `\n${t.after}\n` : ''}\nExamples:\n${t.examples.map((e) => `  ${e}`).join('\n')}\n`;
}
