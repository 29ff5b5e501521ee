// The benchmark target runs in its own process so the load generators (measured in the parent) never share an
// event loop with it. API: `await using server = await startLocalServer({ lifetimeMs })`; `server.url`.
import { fork } from 'node:child_process';
import { exited } from '../sh.ts';

export interface LocalServer extends AsyncDisposable {
  url: string;
  close(): Promise<void>;
}

const SERVER_ENTRY = new URL('./server-child.ts', import.meta.url);
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startLocalServer(options: { lifetimeMs: number }): Promise<LocalServer> {
  const child = fork(SERVER_ENTRY, [String(Math.ceil(options.lifetimeMs))], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const close = async (): Promise<void> => {
    if (child.connected) child.send('close');
    if (!(await exited(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await exited(child, STOP_TIMEOUT_MS);
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench server did not report a port within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once('message', (message: { port?: unknown }) => {
        clearTimeout(timer);
        if (typeof message.port === 'number') resolve(message.port);
        else reject(new Error(`bench server sent ${JSON.stringify(message)}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`bench server exited before listening (code ${code}, signal ${signal})`));
      });
    });
    return { url: `http://127.0.0.1:${port}/`, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}
