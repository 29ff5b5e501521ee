import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { DEFAULT_MATRIX, YOUR_APP_MATRIX } from '../scenarios/catalogue.ts';
import { replicasAfter, scenarioAppSpec } from './scenario-spec.ts';

const find = (id: string) => {
  const s = DEFAULT_MATRIX.find((x) => x.id === id);
  if (!s) throw new Error(id);
  return s;
};

describe('scenario app spec', () => {
  test('graceful and its slow-drain twin get the drain delay, the other broken variants none', () => {
    const graceful = scenarioAppSpec(find('graceful/rollout-restart/keepalive'), DEFAULT_CONFIG, 'ns', 'img', 30080, 'Never');
    expect(graceful.env).toEqual({ DRAINSPEC_VARIANT: 'graceful', DRAIN_DELAY_MS: '5000' });
    const closeOnly = scenarioAppSpec(find('close-only/rollout-restart/keepalive'), DEFAULT_CONFIG, 'ns', 'img', 30080, 'Never');
    expect(closeOnly.env.DRAIN_DELAY_MS).toBe('0');
    const slowDrain = scenarioAppSpec(find('slow-drain/rollout-restart/slow'), DEFAULT_CONFIG, 'ns', 'img', 30080, 'Never');
    expect(slowDrain.env.DRAIN_DELAY_MS).toBe('5000');
  });
  test('graceful-prestop relies on a preStop sleep, Recreate uses the Recreate strategy', () => {
    expect(scenarioAppSpec(find('graceful-prestop/rollout-restart/keepalive'), DEFAULT_CONFIG, 'ns', 'img', 30080, 'Never').preStopSleepSeconds).toBe(5);
    expect(scenarioAppSpec(find('graceful/recreate/fresh'), DEFAULT_CONFIG, 'ns', 'img', 30080, 'Never').strategy).toEqual({ type: 'Recreate' });
  });
  test('your own app gets no variant env, only the configured grace and strategy', () => {
    const spec = scenarioAppSpec(YOUR_APP_MATRIX[0] as (typeof YOUR_APP_MATRIX)[number], DEFAULT_CONFIG, 'ns', 'registry.example/app:1', 30080, 'IfNotPresent');
    expect(spec.env).toEqual({});
    expect(spec.preStopSleepSeconds).toBe(0);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 });
  });
  test('scale-down settles at one replica', () => {
    expect(replicasAfter(find('graceful/scale-down/websocket'), DEFAULT_CONFIG)).toBe(1);
    expect(replicasAfter(find('graceful/pod-delete/keepalive'), DEFAULT_CONFIG)).toBe(3);
  });
});
