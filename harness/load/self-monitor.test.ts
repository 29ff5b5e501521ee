import { expect, test } from 'vitest';
import { startSelfMonitor } from './self-monitor.ts';

const blockFor = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* a stalled event loop */ }
};

test('a blocked event loop shows as its max delay, the CPU it burnt and the wall time', async () => {
  const monitor = startSelfMonitor();
  await new Promise((resolve) => setTimeout(resolve, 50));
  blockFor(400);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const health = monitor.stop();
  expect(health.maxEventLoopDelayMs).toBeGreaterThanOrEqual(350);
  expect(health.p99EventLoopDelayMs).toBeLessThanOrEqual(health.maxEventLoopDelayMs);
  // CPU time is what the scheduler gave the spin (less on a busy machine), never nothing.
  expect(health.cpuUserMs + health.cpuSystemMs).toBeGreaterThanOrEqual(100);
  expect(health.wallMs).toBeGreaterThanOrEqual(490);
  expect(monitor.stop()).toBe(health);
});

test('negative control: an idle loop stays well within any limit', async () => {
  const monitor = startSelfMonitor();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(monitor.stop().maxEventLoopDelayMs).toBeLessThan(100);
});
