// A minimal Chrome DevTools Protocol client for the report test: launches headless Chromium in its own process
// group with a throwaway profile, connects to the browser websocket and drives pages through flattened target
// sessions. Every wait has a deadline; close() kills the whole group and removes the profile.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { exited } from '../../../harness/sh.ts';

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

interface Pending {
  method: string;
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_CALL_TIMEOUT_MS = 15_000;

/** One websocket to the browser target; page sessions share it (Target.attachToTarget with flatten). */
export class CdpConnection {
  private readonly socket: WebSocket;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private nextId = 1;
  private closedError: Error | undefined;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => this.failAll(new Error('CDP websocket closed')));
    socket.on('error', (error) => this.failAll(new Error(`CDP websocket error: ${error.message}`)));
  }

  static connect(url: string, timeoutMs: number): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`timed out after ${timeoutMs} ms connecting to ${url}`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new CdpConnection(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not connect to ${url}: ${error.message}`));
      });
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<Record<string, unknown>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error(`CDP ${method} could not be sent: ${error.message}`));
      });
    });
  }

  /** Calls `listener` for every event until the returned function is called. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event matching `method` (and `sessionId` when given) from now on, or an error at the deadline. */
  waitForEvent(method: string, sessionId: string | undefined, timeoutMs: number): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${method}`));
      }, timeoutMs);
      const off = this.onEvent((event) => {
        if (event.method !== method || (sessionId !== undefined && event.sessionId !== sessionId)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  close(): void {
    this.failAll(new Error('CDP connection closed'));
    this.socket.terminate();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { id?: number; result?: Record<string, unknown>; error?: { message: string; data?: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`CDP ${pending.method}: ${message.error.message}${message.error.data ? ` (${message.error.data})` : ''}`));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (message.method) {
      const event: CdpEvent = { method: message.method, params: message.params ?? {}, ...(message.sessionId ? { sessionId: message.sessionId } : {}) };
      for (const listener of [...this.listeners]) listener(event);
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`CDP ${pending.method}: ${error.message}`));
      this.pending.delete(id);
    }
  }
}

/** A page target attached over the browser connection. */
export interface CdpPage {
  readonly sessionId: string;
  send(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  waitForEvent(method: string, timeoutMs: number): Promise<CdpEvent>;
  onEvent(listener: (event: CdpEvent) => void): () => void;
}

export interface Browser {
  readonly pid: number;
  readonly cdp: CdpConnection;
  newPage(timeoutMs?: number): Promise<CdpPage>;
  /** Idempotent: Browser.close, then SIGKILL to the process group, then the profile directory goes. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  executable: string;
  /** Deadline for the process to announce its DevTools endpoint and accept the websocket. */
  timeoutMs: number;
  extraArgs?: readonly string[];
}

const DEVTOOLS_LINE = /DevTools listening on (ws:\/\/\S+)/;

function waitForDevtoolsUrl(child: ChildProcess, timeoutMs: number, stderrTail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (error: Error | undefined, url?: string) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(url as string);
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = DEVTOOLS_LINE.exec(buffered);
      if (match?.[1]) finish(undefined, match[1]);
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`chromium exited (${signal ?? `exit ${code}`}) before DevTools was listening: ${stderrTail()}`));
    const onError = (error: Error) => finish(new Error(`chromium could not start: ${error.message}`));
    const timer = setTimeout(() => finish(new Error(`chromium announced no DevTools endpoint within ${timeoutMs} ms: ${stderrTail()}`)), timeoutMs);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function launchChromium(options: LaunchOptions): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'drainspec-chromium-'));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
    `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-sync',
    '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-dev-shm-usage',
    '--mute-audio', '--hide-scrollbars', ...(options.extraArgs ?? []), 'about:blank',
  ];
  const child = spawn(options.executable, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const tail = () => stderr.trim().split('\n').slice(-3).join(' | ') || '(no stderr)';

  let cdp: CdpConnection | undefined;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      if (cdp) {
        await cdp.send('Browser.close', {}, undefined, 3_000).catch(() => undefined);
        cdp.close();
      }
      if (child.pid !== undefined && !(await exited(child, 3_000))) {
        killGroup(child.pid);
        await exited(child, 5_000);
      }
      // Chromium helpers (zygote, utility) share the group; make sure none outlives the browser.
      if (child.pid !== undefined) killGroup(child.pid);
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    })();
    return closed;
  };

  try {
    const deadline = Date.now() + options.timeoutMs;
    const url = await waitForDevtoolsUrl(child, options.timeoutMs, tail);
    const connection = await CdpConnection.connect(url, Math.max(1_000, deadline - Date.now()));
    cdp = connection;
    return {
      pid: child.pid as number,
      cdp: connection,
      close,
      async newPage(timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<CdpPage> {
        const { targetId } = await connection.send('Target.createTarget', { url: 'about:blank' }, undefined, timeoutMs);
        const { sessionId } = await connection.send('Target.attachToTarget', { targetId, flatten: true }, undefined, timeoutMs) as { sessionId: string };
        return {
          sessionId,
          send: (method, params = {}, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS) => connection.send(method, params, sessionId, callTimeoutMs),
          waitForEvent: (method, waitTimeoutMs) => connection.waitForEvent(method, sessionId, waitTimeoutMs),
          onEvent: (listener) => connection.onEvent((event) => {
            if (event.sessionId === sessionId) listener(event);
          }),
        };
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
