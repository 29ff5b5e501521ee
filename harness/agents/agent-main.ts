// The load agent's entry point in its pod (image: agent-image.ts; Job: job.ts): runs the load its env describes,
// prints NDJSON on stdout (protocol.ts) and exits by itself — at its deadline, its request limit, or on SIGTERM.
import { agentInput, realAgentDeps, runAgent } from './agent.ts';

const EXIT_BAD_INPUT = 2;
const EXIT_OVERRAN = 3;

let input: ReturnType<typeof agentInput>;
try {
  input = agentInput(process.env);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ t: 'error', agentMs: Date.now(), message: (error as Error).message })}\n`);
  process.exit(EXIT_BAD_INPUT);
}
const stop = Promise.withResolvers<void>();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.resolve());
// Backstop: the load's own bounds end it well before this (its stop waits one request timeout at most).
const overrunMs = input.params.maxDurationMs + 2 * input.params.requestTimeoutMs + 10_000;
setTimeout(() => process.exit(EXIT_OVERRAN), overrunMs).unref();
process.exit(await runAgent(input.params, input.identity, realAgentDeps(stop.promise)));
