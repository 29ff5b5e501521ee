// The correct variants must survive a real SIGTERM under real load with nothing dropped.
import './support/ryuk-off.ts';
import { describe, expect, inject, test } from 'vitest';
import { SUITE } from './settings.ts';
import { runUnderStandardLoad, servedAcross, type ScenarioResult } from './support/termination-scenario.ts';

const ORDERLY_SHUTDOWN = ['started', 'ready', 'sigterm', 'readiness-off', 'listener-closed', 'idle-closed', 'streams-closed', 'drained', 'exit'];

function expectNothingDropped(result: ScenarioResult): void {
  const { totals, termination, terminated } = result;
  expect(totals.failed, `failed requests: ${JSON.stringify(totals.byErrorCode)}`).toBe(0);
  expect(totals.inFlight).toBe(0);
  expect(totals.ok).toBe(totals.sent);
  // The removal lag was really exercised: the terminating instance took new connections after SIGTERM and answered them.
  expect(servedAcross(result.served, { pod: terminated, fresh: true, fromMs: termination.triggerAtMs })).toBeGreaterThan(0);
  expect(termination.exitCode).toBe(0);
  expect(termination.exitedAtMs - termination.triggerAtMs).toBeLessThan(SUITE.gracePeriodMs - 1_000);
  expect(result.lifecycle.map((e) => e.event)).toEqual(ORDERLY_SHUTDOWN);
  expect(result.lifecycle.at(-1)?.code).toBe(0);
}

function expectStreamsClosedCleanly(result: ScenarioResult): void {
  const onVictim = result.streams.filter((s) => s.pod === result.terminated);
  expect(onVictim.map((s) => s.kind).sort()).toEqual(['sse', 'websocket']);
  for (const stream of onVictim) {
    if (stream.kind === 'sse') expect(stream).toMatchObject({ end: 'clean-close', retryHintMs: 200 });
    else expect(stream).toMatchObject({ end: 'clean-close', closeCode: 1001 });
  }
  // The SSE client resumed on the surviving instance from Last-Event-ID with nothing lost or repeated.
  const resumed = result.streams.filter((s) => s.kind === 'sse' && s.seq > 0);
  expect(resumed.length).toBeGreaterThan(0);
  for (const stream of resumed) expect(stream).toMatchObject({ lostEvents: 0, duplicatedEvents: 0, end: 'open' });
  expect(resumed.every((s) => s.pod !== result.terminated && s.messages > 0)).toBe(true);
}

describe('graceful variants under a real SIGTERM', () => {
  test('graceful: zero failed requests, SSE ends with a retry hint, WebSocket with 1001, exit 0 well before the grace period', async () => {
    const result = await runUnderStandardLoad(inject('sampleAppImage'), 'graceful');
    expectNothingDropped(result);
    expectStreamsClosedCleanly(result);
    const [sigterm, , listenerClosed] = result.lifecycle.slice(2);
    expect(listenerClosed!.atMs - sigterm!.atMs).toBeGreaterThanOrEqual(SUITE.drainDelayMs);
  });

  test('graceful-prestop: a preStop sleep covering the lag, then no in-app delay, drops nothing', async () => {
    const result = await runUnderStandardLoad(inject('sampleAppImage'), 'graceful-prestop', { preStopMs: SUITE.preStopMs });
    // SIGTERM arrives only after the preStop sleep, so the app itself starts draining after endpoint removal.
    const sigterm = result.lifecycle.find((e) => e.event === 'sigterm')!;
    expect(sigterm.atMs).toBeGreaterThanOrEqual(result.termination.removedAtMs);
    expectNothingDropped(result);
    expectStreamsClosedCleanly(result);
  });
});
