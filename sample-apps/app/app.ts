// Entry point: `node app.ts` (Node 24 strips the types). Shutdown behaviour comes from DRAINSPEC_VARIANT.
import { parseAppConfig, type AppConfig } from './config.ts';
import { createLifecycleLog } from './lifecycle-log.ts';
import { createAppServer, type AppState } from './server.ts';
import { runShutdown } from './shutdown.ts';
import { shutdownPlan } from './shutdown-plan.ts';
import { createStreams } from './streams.ts';

let config: AppConfig;
try {
  config = parseAppConfig(process.env);
} catch (error) {
  process.stderr.write(`sample-app: ${(error as Error).message}\n`);
  process.exit(2);
}

const log = createLifecycleLog(config.podName);
log('started');
process.on('exit', (code) => log('exit', { code }));

const plan = shutdownPlan(config.variant, config);
const state: AppState = { sigtermAtMs: undefined, requestSeq: 0 };
const streams = createStreams(config);
const server = createAppServer(config, plan, state, streams);

// ignore-sigterm installs no handler on purpose: as PID 1 the kernel then drops SIGTERM.
if (plan.handlesSigterm) {
  process.on('SIGTERM', () => {
    if (state.sigtermAtMs !== undefined) return;
    state.sigtermAtMs = Date.now();
    log('sigterm');
    runShutdown({ server, streams, state, plan, log, sseRetryMs: config.sseRetryMs }).then(
      (code) => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`sample-app: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  });
}

server.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(`sample-app: cannot listen on port ${config.port}: ${error.code ?? error.message}; set PORT to a free port\n`);
  process.exit(2);
});
server.listen(config.port, () => log('ready'));
