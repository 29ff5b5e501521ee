// The scenario matrix: app variant × rollout trigger × load profile, each with the verdict it must produce.
// A negative control (a broken variant) must FAIL with its expected failure class; a pass there fails the suite.
import type { AppVariant, ClientModel, Via } from '../model/run-data.ts';

export const TRIGGERS = ['rollout-restart', 'image-change', 'env-change', 'scale-down', 'pod-delete', 'eviction', 'node-drain', 'recreate'] as const;
export type TriggerKind = (typeof TRIGGERS)[number];

export const LOAD_PROFILES = ['keepalive', 'fresh', 'sse', 'websocket', 'slow'] as const;
export type LoadProfile = (typeof LOAD_PROFILES)[number];

export type ExpectedOutcome = { verdict: 'pass' } | { verdict: 'fail'; failureClass: string };

/** The app name of scenarios run against the user's own image (--image). */
export const YOUR_APP = 'your-app';

export interface Scenario {
  /** Catalogue id, `app/trigger/load` (through the ingress: `app/trigger/load@ingress`), printed in reports and used for selection. */
  id: string;
  app: AppVariant | typeof YOUR_APP;
  trigger: TriggerKind;
  load: LoadProfile;
  /** The path the load takes to the app. */
  via: Via;
  /** What clients that never retry must see (the strict model; also the retrying model's unless it has its own). */
  expected: ExpectedOutcome;
  /** The retrying client model's expectation, where it differs from `expected`. */
  expectedRetrying?: ExpectedOutcome;
  /** 'back-to-back': each connection sends its next request as soon as the last one ends (no rate pacing). */
  pacing?: 'back-to-back';
}

const pass: ExpectedOutcome = { verdict: 'pass' };
const fails = (failureClass: string): ExpectedOutcome => ({ verdict: 'fail', failureClass });

export const scenarioId = (s: Pick<Scenario, 'app' | 'trigger' | 'load' | 'via'>): string => `${s.app}/${s.trigger}/${s.load}${s.via === 'service' ? '' : `@${s.via}`}`;

function scenario(app: Scenario['app'], trigger: TriggerKind, load: LoadProfile, expected: ExpectedOutcome, more: Partial<Pick<Scenario, 'pacing' | 'expectedRetrying' | 'via'>> = {}): Scenario {
  const via = more.via ?? 'service';
  return { id: scenarioId({ app, trigger, load, via }), app, trigger, load, expected, ...more, via };
}

/** The same scenario through another path (its expectations stay: a correct app passes either way). */
export const through = (s: Scenario, via: Via): Scenario => ({ ...s, via, id: scenarioId({ ...s, via }) });

export const expectedFor = (s: Pick<Scenario, 'expected' | 'expectedRetrying'>, model: ClientModel): ExpectedOutcome => (model === 'retrying' ? s.expectedRetrying ?? s.expected : s.expected);

/** The default matrix: every trigger and load profile covered by a correct app, every broken variant as a control. */
export const DEFAULT_MATRIX: readonly Scenario[] = [
  scenario('graceful', 'rollout-restart', 'keepalive', pass),
  scenario('graceful', 'rollout-restart', 'fresh', pass),
  scenario('graceful', 'image-change', 'slow', pass),
  scenario('graceful', 'env-change', 'sse', pass),
  scenario('graceful', 'scale-down', 'websocket', pass),
  scenario('graceful', 'pod-delete', 'keepalive', pass),
  scenario('graceful', 'eviction', 'fresh', pass),
  scenario('graceful', 'node-drain', 'keepalive', pass),
  scenario('graceful-prestop', 'rollout-restart', 'keepalive', pass),
  scenario('graceful', 'recreate', 'fresh', fails('no-endpoints')),
  scenario('exit-immediately', 'rollout-restart', 'fresh', fails('refused-before-endpoint-removal')),
  // The race needs a request in flight on a pooled socket at the instant the pod exits. Paced load leaves each
  // socket idle most of the time (a few races per rollout, sometimes none), so this control sends back to back:
  // every pooled socket then has a request in flight when its pod goes.
  // It also stops listening at once, so a retrying client's new connection is refused while the endpoint propagates.
  scenario('close-only', 'rollout-restart', 'keepalive', fails('keepalive-race'), { pacing: 'back-to-back', expectedRetrying: fails('refused-before-endpoint-removal') }),
  // Serves through a drain delay, then closes idle keep-alive sockets with no `Connection: close` first (Node's
  // server.close()): only clients that never retry see the race.
  scenario('delayed-close', 'rollout-restart', 'keepalive', fails('keepalive-race'), { expectedRetrying: pass }),
  scenario('ignore-sigterm', 'rollout-restart', 'slow', fails('sigterm-ignored')),
  scenario('slow-drain', 'rollout-restart', 'slow', fails('grace-too-short')),
  // Through the ingress (a Traefik in the namespace, as users run it: its default 2 s providers throttle). A correct
  // drain passes on this path too.
  scenario('graceful', 'rollout-restart', 'keepalive', pass, { via: 'ingress' }),
  scenario('graceful', 'rollout-restart', 'fresh', pass, { via: 'ingress' }),
  // The proxy goes on sending to the exited pod until its own endpoint watch catches up, and answers 502 itself:
  // a failure of its own class here (through the Service the same app is refused-before-endpoint-removal), which no
  // client can retry.
  scenario('exit-immediately', 'rollout-restart', 'fresh', fails('proxy-upstream-failed'), { via: 'ingress' }),
  // The proxy has stopped sending to the pod (terminating endpoints are fenced) long before the drain delay ends, so
  // the idle keep-alive sockets the app closes then are the proxy's idle upstream ones: the race that fails strict
  // clients through the Service is absorbed here.
  scenario('delayed-close', 'rollout-restart', 'keepalive', pass, { via: 'ingress' }),
];

/** Bring your own app: every trigger that applies to any image, with plain HTTP load on the configured path. */
export const YOUR_APP_MATRIX: readonly Scenario[] = [
  scenario(YOUR_APP, 'rollout-restart', 'keepalive', pass),
  scenario(YOUR_APP, 'rollout-restart', 'fresh', pass),
  scenario(YOUR_APP, 'env-change', 'keepalive', pass),
  scenario(YOUR_APP, 'scale-down', 'fresh', pass),
  scenario(YOUR_APP, 'pod-delete', 'keepalive', pass),
  scenario(YOUR_APP, 'eviction', 'fresh', pass),
  scenario(YOUR_APP, 'node-drain', 'keepalive', pass),
];

/** Your app's long-lived endpoints, each added to the matrix when its path is given. */
export interface LongLivedPaths {
  slowPath: string;
  ssePath: string;
  wsPath: string;
}

/** Your app's matrix, through each of `vias` (default: the Service only). */
export function yourAppMatrix(paths: LongLivedPaths, vias: readonly Via[] = ['service']): Scenario[] {
  const matrix = [
    ...YOUR_APP_MATRIX,
    ...(paths.slowPath ? [scenario(YOUR_APP, 'rollout-restart', 'slow', pass)] : []),
    ...(paths.ssePath ? [scenario(YOUR_APP, 'rollout-restart', 'sse', pass)] : []),
    ...(paths.wsPath ? [scenario(YOUR_APP, 'rollout-restart', 'websocket', pass)] : []),
  ];
  return vias.flatMap((via) => matrix.map((s) => through(s, via)));
}

/** Selects scenarios whose id matches any pattern (`*` matches within a segment, `**` anything); all when none given. */
export function selectScenarios(all: readonly Scenario[], patterns: readonly string[]): Scenario[] {
  if (patterns.length === 0) return [...all];
  const matchers = patterns.map(globToRegExp);
  const selected = all.filter((s) => matchers.some((m) => m.test(s.id)));
  if (selected.length === 0) {
    throw new Error(`--scenario ${patterns.join(',')} matches none of (ids are app/trigger/load; * matches within one part, ** across): ${all.map((s) => s.id).join(', ')}`);
  }
  return selected;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped.split('**').map((part) => part.replace(/\*/g, '[^/]*')).join('.*');
  return new RegExp(`^${pattern}$`);
}
