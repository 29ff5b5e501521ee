import { describe, expect, test } from 'vitest';
import { APP_VARIANTS, LIFECYCLE_EVENTS } from '../../harness/model/run-data.ts';
import { DEFAULT_APP_CONFIG, parseAppConfig, VARIANTS } from './config.ts';
import { LIFECYCLE_EVENT_NAMES } from './lifecycle-log.ts';

describe('sample app config', () => {
  test('an empty environment gives the defaults, with the hostname as pod name', () => {
    expect(parseAppConfig({}, 'host-1')).toEqual({ ...DEFAULT_APP_CONFIG, podName: 'host-1' });
  });

  test('every variable is read', () => {
    const config = parseAppConfig(
      { DRAINSPEC_VARIANT: 'slow-drain', PORT: '9090', POD_NAME: 'web-7', DRAIN_DELAY_MS: '1500', SHUTDOWN_TIMEOUT_MS: '4000', SLOW_DRAIN_WORK_MS: '30000', SSE_RETRY_MS: '250' },
      'ignored',
    );
    expect(config).toMatchObject({ variant: 'slow-drain', port: 9090, podName: 'web-7', drainDelayMs: 1500, shutdownTimeoutMs: 4000, slowDrainWorkMs: 30_000, sseRetryMs: 250 });
  });

  test('an unknown variant is a one-line error listing the valid ones', () => {
    expect(() => parseAppConfig({ DRAINSPEC_VARIANT: 'gracefull' })).toThrow(/^DRAINSPEC_VARIANT must be one of graceful, graceful-prestop, .*; got 'gracefull'$/);
  });

  test.each([
    ['PORT', '0'],
    ['PORT', '70000'],
    ['DRAIN_DELAY_MS', '-5'],
    ['DRAIN_DELAY_MS', '1.5'],
    ['SSE_INTERVAL_MS', 'fast'],
  ])('%s=%s is rejected naming the variable', (name, value) => {
    expect(() => parseAppConfig({ [name]: value })).toThrow(name);
  });

  test('a drain delay that reaches the shutdown timeout is rejected for graceful variants', () => {
    expect(() => parseAppConfig({ DRAIN_DELAY_MS: '10000', SHUTDOWN_TIMEOUT_MS: '10000' })).toThrow(/DRAIN_DELAY_MS/);
    expect(() => parseAppConfig({ DRAINSPEC_VARIANT: 'graceful-prestop', KEEPALIVE_CLOSE_WINDOW_MS: '9000', SHUTDOWN_TIMEOUT_MS: '8000' })).toThrow(/KEEPALIVE_CLOSE_WINDOW_MS/);
    expect(parseAppConfig({ DRAINSPEC_VARIANT: 'close-only', DRAIN_DELAY_MS: '10000', SHUTDOWN_TIMEOUT_MS: '10000' }).variant).toBe('close-only');
  });

  test('the app mirrors the shared run-data model exactly', () => {
    expect(VARIANTS).toEqual(APP_VARIANTS);
    expect(LIFECYCLE_EVENT_NAMES).toEqual(LIFECYCLE_EVENTS);
  });
});
