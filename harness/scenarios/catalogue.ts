// The scenario matrix: app variant × rollout trigger × load profile, each with the verdict it must produce.
// A negative control (a broken variant) must FAIL with its expected failure class; a pass there fails the suite.
import type { AppVariant } from '../model/run-data.ts';

export const TRIGGERS = ['rollout-restart', 'image-change', 'env-change', 'scale-down', 'pod-delete', 'eviction', 'node-drain', 'recreate'] as const;
export type TriggerKind = (typeof TRIGGERS)[number];

export const LOAD_PROFILES = ['keepalive', 'fresh', 'sse', 'websocket', 'slow'] as const;
export type LoadProfile = (typeof LOAD_PROFILES)[number];

export type ExpectedOutcome = { verdict: 'pass' } | { verdict: 'fail'; failureClass: string };

/** The app name of scenarios run against the user's own image (--image). */
export const YOUR_APP = 'your-app';

export interface Scenario {
  /** Catalogue id, `app/trigger/load`, printed in reports and used for selection. */
  id: string;
  app: AppVariant | typeof YOUR_APP;
  trigger: TriggerKind;
  load: LoadProfile;
  expected: ExpectedOutcome;
  /** 'back-to-back': each connection sends its next request as soon as the last one ends (no rate pacing). */
  pacing?: 'back-to-back';
}

const pass: ExpectedOutcome = { verdict: 'pass' };
const fails = (failureClass: string): ExpectedOutcome => ({ verdict: 'fail', failureClass });

function scenario(app: Scenario['app'], trigger: TriggerKind, load: LoadProfile, expected: ExpectedOutcome, pacing?: Scenario['pacing']): Scenario {
  return { id: `${app}/${trigger}/${load}`, app, trigger, load, expected, ...(pacing ? { pacing } : {}) };
}

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
  scenario('close-only', 'rollout-restart', 'keepalive', fails('keepalive-race'), 'back-to-back'),
  scenario('ignore-sigterm', 'rollout-restart', 'slow', fails('sigterm-ignored')),
  scenario('slow-drain', 'rollout-restart', 'slow', fails('grace-too-short')),
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
