// Negative controls: each broken variant must fail, and with its own failure class — a pass here is a bug.
import './support/ryuk-off.ts';
import { describe, expect, inject, test } from 'vitest';
import type { AppVariant, RequestErrorCode, RequestRecord } from '../../harness/model/run-data.ts';
import { SUITE } from './settings.ts';
import { runUnderStandardLoad, servedAcross, type ScenarioResult } from './support/termination-scenario.ts';

const CONNECTION_FAILURES: RequestErrorCode[] = ['ECONNREFUSED', 'ECONNRESET', 'SOCKET_CLOSED', 'EPIPE'];

const run = (variant: AppVariant): Promise<ScenarioResult> => runUnderStandardLoad(inject('sampleAppImage'), variant);

const failuresOf = (result: ScenarioResult): RequestRecord[] => result.requests.filter((r) => r.outcome === 'failed');

function expectFailuresOnlyAfterSigterm(result: ScenarioResult): RequestRecord[] {
  const failures = failuresOf(result);
  expect(failures.length, 'a broken variant must drop requests').toBeGreaterThan(0);
  expect(failures.filter((r) => (r.endMs ?? 0) < result.termination.triggerAtMs), 'failures before SIGTERM point at the harness, not the app').toEqual([]);
  expect(failures.map((r) => r.errorCode ?? 'OTHER').filter((code) => !CONNECTION_FAILURES.includes(code)), 'only connection-level failures are expected').toEqual([]);
  return failures;
}

function victimStreams(result: ScenarioResult) {
  return result.streams.filter((s) => s.pod === result.terminated);
}

describe('broken variants under a real SIGTERM', () => {
  test('exit-immediately: connections refused or reset while the endpoint is still routed; streams cut without a close', async () => {
    const result = await run('exit-immediately');
    const failures = expectFailuresOnlyAfterSigterm(result);
    const { termination } = result;
    expect(termination.exitCode).toBe(0);
    expect(termination.exitedAtMs - termination.triggerAtMs).toBeLessThan(1_000);
    expect(result.lifecycle.map((e) => e.event)).toEqual(['started', 'ready', 'sigterm', 'exit']);
    // New connections the balancer still sent to the dead instance found nothing listening.
    const victim = result.balancer.upstreams.find((u) => u.id === result.terminated)!;
    expect(victim.connectFailures + victim.unanswered).toBeGreaterThan(0);
    expect(failures.some((r) => !r.reusedSocket)).toBe(true);
    for (const stream of victimStreams(result)) expect(stream.end).not.toBe('clean-close');
  });

  test('ignore-sigterm: SIGTERM never arrives, it serves until SIGKILL at the full grace period, exit 137, in-flight work cut', async () => {
    const result = await run('ignore-sigterm');
    const failures = expectFailuresOnlyAfterSigterm(result);
    const { termination } = result;
    expect(termination.exitCode).toBe(137);
    expect(termination.exitedAtMs - termination.triggerAtMs).toBeGreaterThanOrEqual(SUITE.gracePeriodMs - 100);
    expect(result.lifecycle.map((e) => e.event)).toEqual(['started', 'ready']);
    // It kept answering on established connections long after SIGTERM...
    expect(servedAcross(result.served, { pod: result.terminated, fromMs: termination.removedAtMs })).toBeGreaterThan(0);
    // ...and what was in flight at SIGKILL died with it.
    expect(failures.every((r) => Math.abs((r.endMs ?? 0) - termination.exitedAtMs) < 500)).toBe(true);
    for (const stream of victimStreams(result)) expect(stream.end).not.toBe('clean-close');
  });

  test('close-only: requests on reused keep-alive sockets or new connections fail (the keep-alive race / refused)', async () => {
    const result = await run('close-only');
    const failures = expectFailuresOnlyAfterSigterm(result);
    const victim = result.balancer.upstreams.find((u) => u.id === result.terminated)!;
    const raced = failures.filter((r) => r.reusedSocket && r.errorCode === 'SOCKET_CLOSED');
    expect(raced.length + victim.connectFailures + victim.unanswered).toBeGreaterThan(0);
  });

  test('slow-drain: in-flight work outlasts the grace period and is cut by SIGKILL, exit 137; fast requests are fine', async () => {
    const result = await run('slow-drain');
    const failures = expectFailuresOnlyAfterSigterm(result);
    const { termination } = result;
    expect(termination.exitCode).toBe(137);
    expect(termination.exitedAtMs - termination.triggerAtMs).toBeGreaterThanOrEqual(SUITE.gracePeriodMs - 100);
    expect(result.lifecycle.map((e) => e.event)).toEqual(['started', 'ready', 'sigterm', 'readiness-off', 'listener-closed', 'idle-closed', 'streams-closed']);
    expect(failures.every((r) => r.path.startsWith('/slow') && Math.abs((r.endMs ?? 0) - termination.exitedAtMs) < 500)).toBe(true);
    // It drained everything else politely.
    for (const stream of victimStreams(result)) expect(stream.end).toBe('clean-close');
  });
});
