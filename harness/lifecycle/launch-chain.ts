// Signals aimed at the wrapper that started drainspec do not all reach it. `npx drainspec` and `npm run <script>`
// run it as npm → `sh -c` → drainspec: npm forwards SIGINT and SIGTERM to that shell only, and dash forwards
// nothing — SIGTERM kills the shell (drainspec is orphaned and never told), SIGINT is caught and held until
// drainspec exits on its own, SIGHUP kills npm alone. (Terminals and `timeout` signal the whole process group, so
// they are not affected.) This watchdog, started by bin/drainspec.js, turns what can be seen of that chain into the
// signal the run should have had: the parent gone → SIGTERM; npm gone → SIGHUP; npm's shell woken while it only
// waits for drainspec → SIGINT (such a shell catches nothing but SIGINT and SIGCHLD, so a wake-up that is not our
// own stop is a SIGINT). Linux reads /proc; elsewhere only the parent's death is seen.
import { readStat, readCmdline, readStatus, type ProcStat } from '../reaper/proc.ts';

export type ChainSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export type ChainRole = 'shell' | 'npm' | 'node-shim' | 'caller';

export interface ChainMember {
  pid: number;
  startTime: string;
  role: ChainRole;
  /** Its wake-ups mean SIGINT: a `sh -c` under npm that catches only SIGINT and SIGCHLD. */
  wakeupsAreSigint: boolean;
}

export interface ProcReader {
  stat(pid: number): ProcStat | undefined;
  cmdline(pid: number): string[];
  status(pid: number, field: string): string | undefined;
}

const realProc: ProcReader = { stat: readStat, cmdline: readCmdline, status: readStatus };
const SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
/** SigCgt bits of SIGINT (2) and SIGCHLD (17). */
const SIGINT_AND_SIGCHLD = (1n << 1n) | (1n << 16n);
const POLL_MS = 250;

export function roleOf(stat: ProcStat, argv: readonly string[]): ChainRole {
  const joined = argv.join(' ');
  if (/^npm( |$)/.test(joined) || /\bnp[mx]-cli\.js\b/.test(joined)) return 'npm';
  if (SHELLS.has(stat.comm) && argv.includes('-c')) return 'shell';
  // The `node` npm package's bin when it is a JS wrapper spawning the real binary (`node …/node_modules/node/bin/node`).
  if (argv.some((a, i) => i > 0 && /node_modules\/node\/bin\/node$/.test(a))) return 'node-shim';
  return 'caller';
}

/**
 * The processes between drainspec and whoever launched it: the wrappers up to and including npm when npm started
 * it, else only the direct parent (the caller itself, which signals drainspec directly).
 */
export function describeChain(parentPid: number, proc: ProcReader = realProc): ChainMember[] {
  const chain: ChainMember[] = [];
  let pid = parentPid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const stat = proc.stat(pid);
    if (!stat) break;
    const role = roleOf(stat, proc.cmdline(pid));
    chain.push({ pid, startTime: stat.startTime, role, wakeupsAreSigint: false });
    if (role === 'npm' || role === 'caller') break;
    pid = stat.ppid;
  }
  if (chain.at(-1)?.role !== 'npm') return [{ pid: parentPid, startTime: chain[0]?.startTime ?? '', role: chain[0]?.role ?? 'caller', wakeupsAreSigint: false }];
  for (const member of chain) {
    const caught = proc.status(member.pid, 'SigCgt');
    member.wakeupsAreSigint = member.role === 'shell' && caught !== undefined && (BigInt(`0x${caught}`) & ~SIGINT_AND_SIGCHLD) === 0n;
  }
  return chain;
}

type Listener = (signal: ChainSignal, why: string) => void;
const listeners = new Set<Listener>();

/** The run takes the chain's signals itself (alongside its process signals); without a listener they are raised. */
export function onLaunchChainSignal(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function deliver(signal: ChainSignal, why: string): void {
  if (listeners.size === 0) process.kill(process.pid, signal);
  for (const listener of listeners) listener(signal, why);
}

const wakeups = (proc: ProcReader, pid: number) => proc.status(pid, 'voluntary_ctxt_switches') ?? '';

/** Starts watching (unref'd: it never keeps the process alive); returns the chain it watches and a stop function. */
export function watchLaunchChain(proc: ProcReader = realProc): { chain: ChainMember[]; stop(): void } {
  const chain = describeChain(process.ppid, proc);
  const baseline = new Map(chain.filter((m) => m.wakeupsAreSigint).map((m) => [m.pid, wakeups(proc, m.pid)]));
  // A wake-up counts on the tick after it is seen, and not within a second of drainspec being continued: Ctrl-Z and
  // fg stop and wake the shell too, and the overdue timer may run before the SIGCONT callback.
  const pending = new Set<number>();
  let quietUntil = 0;
  const onContinue = () => {
    quietUntil = Date.now() + 1_000;
  };
  process.on('SIGCONT', onContinue);

  const tick = () => {
    for (const [index, member] of chain.entries()) {
      const stat = proc.stat(member.pid);
      // Without /proc (no start time was ever read) only the parent's death is seen, as a new ppid.
      const gone = (index === 0 && process.ppid !== member.pid)
        || (stat ? stat.state === 'Z' || (member.startTime !== '' && stat.startTime !== member.startTime) : member.startTime !== '');
      if (gone) {
        stop();
        const signal: ChainSignal = member.role === 'npm' && index > 0 ? 'SIGHUP' : 'SIGTERM';
        deliver(signal, `the process that started drainspec (${member.role}, pid ${member.pid}) is gone`);
        return;
      }
    }
    for (const [pid, seen] of baseline) {
      const count = wakeups(proc, pid);
      if (Date.now() < quietUntil) {
        baseline.set(pid, count);
        pending.delete(pid);
      } else if (count !== seen && !pending.has(pid)) {
        pending.add(pid);
      } else if (pending.has(pid)) {
        baseline.set(pid, count);
        pending.delete(pid);
        deliver('SIGINT', `npm's shell (pid ${pid}) was interrupted`);
      }
    }
  };
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    process.off('SIGCONT', onContinue);
  };
  return { chain, stop };
}
