// The reaper as a real process: it outlives a killed run and finishes for it, leaves a run that cleaned up alone, and
// SIGKILLs a run still there at its stop deadline (an event loop that never came back).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const cache = mkdtempSync(join(tmpdir(), 'drainspec-reaper-'));
const module = (name: string) => new URL(`./${name}`, import.meta.url).href;

/** A stand-in run: marker, reaper, then `behaviour` (`exit-clean`, `hang`, `stop-and-hang`). */
function fakeRun(runId: string, behaviour: string): ReturnType<typeof spawn> {
  const script = join(cache, `${runId}.mjs`);
  writeFileSync(script, `
    const { writeMarker, removeMarker } = await import(${JSON.stringify(module('footprint.ts'))});
    const { identityOf } = await import(${JSON.stringify(module('proc.ts'))});
    const { startReaper } = await import(${JSON.stringify(module('reaper.ts'))});
    const marker = { runId: ${JSON.stringify(runId)}, run: identityOf(process.pid), startedAt: new Date().toISOString(), footprint: { runId: ${JSON.stringify(runId)} } };
    writeMarker(marker);
    const reaper = startReaper(marker.runId);
    marker.reaper = identityOf(reaper.pid);
    writeMarker(marker);
    console.log(reaper.pid);
    if (${JSON.stringify(behaviour)} === 'exit-clean') { removeMarker(marker.runId); reaper.release(); }
    else if (${JSON.stringify(behaviour)} === 'stop-and-hang') { reaper.stopBy(Date.now() + 1_000); for (;;); }
    else setInterval(() => undefined, 1_000);
  `);
  return spawn(process.execPath, [script], { env: { ...process.env, DRAINSPEC_CACHE_DIR: cache }, stdio: ['ignore', 'pipe', 'inherit'] });
}

const reaperLog = () => (existsSync(join(cache, 'logs', 'reaper.log')) ? readFileSync(join(cache, 'logs', 'reaper.log'), 'utf8') : '');
const markerExists = (runId: string) => existsSync(join(cache, 'runs', `${runId}.json`));

async function until(what: string, check: () => boolean, timeoutMs = 25_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; reaper log:\n${reaperLog()}`);
  }
}

const reaperPid = (child: ReturnType<typeof spawn>) => new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// Real processes (Node start-up, client-node loaded by the reaper): seconds each, more on a loaded machine.
describe('reaper process', { timeout: 30_000 }, () => {
  test('a SIGKILLed run: the reaper finishes its cleanup, removes its marker and exits', async () => {
    const run = fakeRun('killed', 'hang');
    const reaper = await reaperPid(run);
    run.kill('SIGKILL');
    await until('the reaper to finish', () => !alive(reaper));
    expect(reaperLog()).toMatch(/run killed: run \(pid \d+\) exited without finishing its cleanup/);
    expect(markerExists('killed')).toBe(false);
  });

  test('a run that cleaned up after itself: the reaper only exits', async () => {
    const run = fakeRun('clean', 'exit-clean');
    const reaper = await reaperPid(run);
    await until('the reaper to exit', () => !alive(reaper));
    expect(reaperLog()).toMatch(/run clean: the run cleaned up after itself/);
  });

  test('a stopping run still there at its deadline is SIGKILLed by the reaper, then reaped', async () => {
    const run = fakeRun('stuck', 'stop-and-hang');
    const reaper = await reaperPid(run);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => run.once('exit', (_code, signal) => resolve(signal)));
    expect(await exit).toBe('SIGKILL');
    await until('the reaper to finish', () => !alive(reaper));
    expect(reaperLog()).toMatch(/run stuck: run \(pid \d+\) still running at its stop deadline: SIGKILL/);
    expect(markerExists('stuck')).toBe(false);
  });
});
