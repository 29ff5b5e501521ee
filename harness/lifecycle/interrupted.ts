// Exit codes for a run stopped by a signal (128 + its number), and the reason its abort signal carries.
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export class InterruptedError extends Error {
  readonly signalName: StopSignal;
  readonly exitCode: number;
  constructor(signalName: StopSignal) {
    super(`interrupted by ${signalName}`);
    this.name = 'InterruptedError';
    this.signalName = signalName;
    this.exitCode = SIGNAL_EXIT_CODES[signalName];
  }
}
