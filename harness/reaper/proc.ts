// What the host says about a process: an identity that survives pid reuse (pid + start time + boot), its parent,
// its command line. Linux reads /proc; elsewhere only liveness by signal 0 is known.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** Executable name as the kernel keeps it (15 characters at most). */
  comm: string;
  /** R, S, D, Z (zombie), T (stopped)… */
  state: string;
  ppid: number;
  /** Clock ticks since boot: with the pid, names one process for the life of the machine. */
  startTime: string;
}

export interface ProcessIdentity {
  pid: number;
  /** '' where the host cannot tell (no /proc). */
  startTime: string;
  bootId: string;
}

const hasProc = existsSync('/proc/self/stat');

/** Parses /proc/<pid>/stat; the command name is in parentheses and may itself contain spaces and ')'. */
export function parseStat(pid: number, text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).trim().split(' ');
  const ppid = Number(fields[1]);
  if (!Number.isInteger(ppid)) return undefined;
  return { pid, comm: text.slice(open + 1, close), state: fields[0] ?? '', ppid, startTime: fields[19] ?? '' };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readStat(pid: number): ProcStat | undefined {
  const text = hasProc ? readText(`/proc/${pid}/stat`) : undefined;
  return text === undefined ? undefined : parseStat(pid, text);
}

/** argv of `pid` ([] when unknown); a process that set its title (npm) shows the title as one string. */
export function readCmdline(pid: number): string[] {
  const text = hasProc ? readText(`/proc/${pid}/cmdline`) : undefined;
  return text ? text.split('\0').filter(Boolean) : [];
}

/** One `Name:\tvalue` line of /proc/<pid>/status. */
export function readStatus(pid: number, field: string): string | undefined {
  const text = hasProc ? readText(`/proc/${pid}/status`) : undefined;
  const line = text?.split('\n').find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

export function bootId(): string {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() ?? '';
}

export function identityOf(pid: number): ProcessIdentity {
  return { pid, startTime: readStat(pid)?.startTime ?? '', bootId: bootId() };
}

/** True while the process named by `id` runs (a zombie or a reused pid is not it). */
export function isRunning(id: ProcessIdentity): boolean {
  const boot = bootId();
  if (id.bootId && boot && id.bootId !== boot) return false;
  if (hasProc) {
    const stat = readStat(id.pid);
    return stat !== undefined && stat.state !== 'Z' && (!id.startTime || stat.startTime === id.startTime);
  }
  try {
    process.kill(id.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Pids whose /proc stat satisfies `filter` and, when given, whose command line satisfies `argvFilter`. The command
 * line is read only for processes that pass `filter`: reading it takes the process's memory lock, which a process
 * blocked on a busy disk can hold for seconds. Linux; [] elsewhere.
 */
export function findProcesses(filter: (stat: ProcStat) => boolean, argvFilter?: (argv: string[]) => boolean): number[] {
  if (!hasProc) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const stat = readStat(pid);
    if (stat && stat.state !== 'Z' && filter(stat) && (!argvFilter || argvFilter(readCmdline(pid)))) pids.push(pid);
  }
  return pids;
}
