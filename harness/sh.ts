// The only module that spawns processes: a zx preset plus a detached-daemon helper.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { $ as zx, type Shell } from 'zx';

/** Quiet, throwing shell with a generous default timeout; chain `.nothrow()` / `.timeout()` per call. */
export const sh: Shell = zx({ quiet: true, verbose: false, timeout: '30m' });

/** Same preset with extra environment. */
export function shWith(env: Record<string, string | undefined>): Shell {
  return zx({ quiet: true, verbose: false, timeout: '30m', env: { ...process.env, ...env } });
}

/** True when `cmd` resolves on PATH. */
export async function hasCommand(cmd: string): Promise<boolean> {
  const out = await sh`command -v ${cmd}`.nothrow();
  return out.exitCode === 0;
}

/** Runs a long command with its output appended to `logPath`; a failure names the log to read. */
export function runLogged(command: string, args: readonly string[], logPath: string, options: { env?: Record<string, string>; cwd?: string } = {}): Promise<void> {
  const fd = openSync(logPath, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...options.env }, cwd: options.cwd });
    child.on('error', (error) => reject(new Error(`${command} could not start (${error.message}): see ${logPath}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args[0] ?? ''} failed (${signal ?? `exit ${code}`}): see ${logPath}`));
    });
  }).finally(() => closeSync(fd));
}

/** Starts a daemon that outlives this process; its output goes to `logPath`. Returns its pid. */
export function spawnDaemon(command: string, args: readonly string[], logPath: string): number {
  const fd = openSync(logPath, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}: see ${logPath}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts a detached process (its own session: group signals do not reach it, and it outlives this process) whose
 * stdin is a pipe from this process: it reads end-of-file when this process exits, however it exits (Ryuk's
 * connection, as a pipe). `send()` writes a line to it, `release()` closes the pipe early. Neither the child nor the
 * pipe keeps this process alive.
 */
export function spawnWatcher(command: string, args: readonly string[], logPath: string): { pid: number; send(line: string): void; release(): void } {
  const fd = openSync(logPath, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['pipe', fd, fd] });
    child.unref();
    const pipe = child.stdin as unknown as Socket;
    pipe.on('error', () => undefined);
    pipe.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}: see ${logPath}`);
    return { pid: child.pid, send: (line) => void pipe.write(`${line}\n`), release: () => pipe.end() };
  } finally {
    closeSync(fd);
  }
}

/** Resolves true once `child` has exited, false if it is still running after `timeoutMs`. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
