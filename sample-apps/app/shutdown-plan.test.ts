import { describe, expect, test } from 'vitest';
import { VARIANTS } from './config.ts';
import { shutdownPlan } from './shutdown-plan.ts';

const config = { drainDelayMs: 2000, keepAliveCloseWindowMs: 700, shutdownTimeoutMs: 8000, slowDrainWorkMs: 60_000 };

describe('shutdown plans', () => {
  test('graceful keeps serving for the drain delay, advertises Connection: close, closes streams, and bounds its wait', () => {
    expect(shutdownPlan('graceful', config)).toEqual({
      handlesSigterm: true,
      exitImmediately: false,
      drainDelayMs: 2000,
      idleCloseAfterMs: 2000,
      advertiseConnectionClose: true,
      closeStreamsPolitely: true,
      holdInFlightWorkAfterSigtermMs: 0,
      forceExitAfterMs: 8000,
    });
  });

  test('graceful-prestop closes its listener at once but gives pooled keep-alive connections a Connection: close window', () => {
    expect(shutdownPlan('graceful-prestop', config)).toEqual({ ...shutdownPlan('graceful', config), drainDelayMs: 0, idleCloseAfterMs: 700 });
  });

  test('idle keep-alive sockets are never closed before the listener', () => {
    for (const variant of VARIANTS) {
      const plan = shutdownPlan(variant, config);
      expect(plan.idleCloseAfterMs, variant).toBeGreaterThanOrEqual(plan.drainDelayMs);
    }
  });

  test('only ignore-sigterm installs no handler; only exit-immediately exits at once', () => {
    expect(VARIANTS.filter((v) => !shutdownPlan(v, config).handlesSigterm)).toEqual(['ignore-sigterm']);
    expect(VARIANTS.filter((v) => shutdownPlan(v, config).exitImmediately)).toEqual(['exit-immediately']);
  });

  test('close-only closes at once without telling clients', () => {
    expect(shutdownPlan('close-only', config)).toMatchObject({ drainDelayMs: 0, idleCloseAfterMs: 0, advertiseConnectionClose: false, closeStreamsPolitely: false });
  });

  test('slow-drain holds in-flight work past any grace period and never gives up', () => {
    expect(shutdownPlan('slow-drain', config)).toMatchObject({ holdInFlightWorkAfterSigtermMs: 60_000, forceExitAfterMs: undefined, drainDelayMs: 2000 });
  });

  test('delayed-close is graceful without Connection: close: idle keep-alive sockets close with the listener, unannounced', () => {
    expect(shutdownPlan('delayed-close', config)).toEqual({ ...shutdownPlan('graceful', config), advertiseConnectionClose: false, forceExitAfterMs: undefined });
    expect(shutdownPlan('delayed-close', config).idleCloseAfterMs).toBe(shutdownPlan('delayed-close', config).drainDelayMs);
  });

  test('only the graceful variants are bounded by the shutdown timeout', () => {
    expect(VARIANTS.filter((v) => shutdownPlan(v, config).forceExitAfterMs !== undefined)).toEqual(['graceful', 'graceful-prestop']);
  });
});
