import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ProcStat } from '../reaper/proc.ts';
import { describeChain, onLaunchChainSignal, watchLaunchChain, type ProcReader } from './launch-chain.ts';

interface FakeProcess { stat: ProcStat; argv: string[]; sigCgt?: string; wakeups?: number }

/** A /proc holding `processes` (pid → process); a test mutates it to kill or wake them. */
function fakeProc(processes: Map<number, FakeProcess>): ProcReader {
  return {
    stat: (pid) => processes.get(pid)?.stat,
    cmdline: (pid) => processes.get(pid)?.argv ?? [],
    status: (pid, field) => {
      const p = processes.get(pid);
      return field === 'SigCgt' ? p?.sigCgt : field === 'voluntary_ctxt_switches' && p ? String(p.wakeups ?? 0) : undefined;
    },
  };
}

const proc = (pid: number, ppid: number, comm: string, argv: string[], more: Partial<FakeProcess> = {}): [number, FakeProcess] =>
  [pid, { stat: { pid, comm, state: 'S', ppid, startTime: String(pid * 10) }, argv, ...more }];

/** npx drainspec: npm (title "npm exec …") → dash -c → drainspec (this process). */
function npxChain(shell: Partial<FakeProcess> = {}): Map<number, FakeProcess> {
  return new Map([
    proc(process.ppid, 900, 'sh', ['sh', '-c', 'drainspec run'], { sigCgt: '0000000000010002', wakeups: 2, ...shell }),
    proc(900, 800, 'npm exec drains', ['npm exec drainspec run']),
    proc(800, 1, 'bash', ['bash']),
  ]);
}

describe('describeChain', () => {
  test('npx: the shell npm started and npm itself; the shell catches only SIGINT and SIGCHLD, so its wake-ups are SIGINT', () => {
    expect(describeChain(process.ppid, fakeProc(npxChain())).map((m) => [m.role, m.wakeupsAreSigint])).toEqual([['shell', true], ['npm', false]]);
  });

  test('a shell catching more than SIGINT and SIGCHLD is watched for its death only', () => {
    expect(describeChain(process.ppid, fakeProc(npxChain({ sigCgt: '0000000000090002' })))[0]?.wakeupsAreSigint).toBe(false);
  });

  test('started directly (a shell, timeout, CI): only the parent, which signals drainspec itself', () => {
    const chain = describeChain(500, fakeProc(new Map([proc(500, 1, 'timeout', ['timeout', '60', 'drainspec', 'run'])])));
    expect(chain).toEqual([{ pid: 500, startTime: '5000', role: 'caller', wakeupsAreSigint: false }]);
  });

  test('a `sh -c` that no npm started is not read for wake-ups', () => {
    const chain = describeChain(500, fakeProc(new Map([proc(500, 400, 'sh', ['sh', '-c', 'drainspec run'], { sigCgt: '0000000000010002' }), proc(400, 1, 'make', ['make', 'e2e'])])));
    expect(chain.map((m) => [m.pid, m.wakeupsAreSigint])).toEqual([[500, false]]);
  });
});

describe('watchLaunchChain', () => {
  let received: string[];
  let unsubscribe: () => void;
  beforeEach(() => {
    vi.useFakeTimers();
    received = [];
    unsubscribe = onLaunchChainSignal((signal) => received.push(signal));
  });
  afterEach(() => {
    unsubscribe();
    vi.useRealTimers();
  });

  test('npm\'s shell woken (npm forwarded a SIGINT it holds) → SIGINT, once per wake-up', () => {
    const processes = npxChain();
    const watch = watchLaunchChain(fakeProc(processes));
    vi.advanceTimersByTime(1_000);
    expect(received).toEqual([]);
    (processes.get(process.ppid) as FakeProcess).wakeups = 3;
    vi.advanceTimersByTime(600);
    expect(received).toEqual(['SIGINT']);
    vi.advanceTimersByTime(2_000);
    expect(received).toEqual(['SIGINT']);
    watch.stop();
  });

  test('a wake-up around drainspec being continued (Ctrl-Z, fg) is not a SIGINT', () => {
    const processes = npxChain();
    const watch = watchLaunchChain(fakeProc(processes));
    process.emit('SIGCONT', 'SIGCONT');
    (processes.get(process.ppid) as FakeProcess).wakeups = 4;
    vi.advanceTimersByTime(2_000);
    expect(received).toEqual([]);
    watch.stop();
  });

  test('npm\'s shell killed (npm forwarded SIGTERM) → SIGTERM; npm gone with its shell alive (SIGHUP) → SIGHUP', () => {
    const killed = npxChain();
    const watchShell = watchLaunchChain(fakeProc(killed));
    killed.delete(process.ppid);
    vi.advanceTimersByTime(300);
    const hungUp = npxChain();
    const watchNpm = watchLaunchChain(fakeProc(hungUp));
    hungUp.delete(900);
    vi.advanceTimersByTime(300);
    expect(received).toEqual(['SIGTERM', 'SIGHUP']);
    watchShell.stop();
    watchNpm.stop();
  });

  test('a reused pid (another start time) is a death too', () => {
    const processes = npxChain();
    const watch = watchLaunchChain(fakeProc(processes));
    (processes.get(900) as FakeProcess).stat.startTime = '1';
    vi.advanceTimersByTime(300);
    expect(received).toEqual(['SIGHUP']);
    watch.stop();
  });
});
