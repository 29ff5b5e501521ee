// Load profile defaults, in one place.
export const LOAD_DEFAULTS = {
  slowRequestMs: 1_500,
  streamClients: 3,
  /** Background keep-alive workers that run beside the stream and slow profiles, so refusals still show. */
  backgroundWorkers: 2,
  sseMaxReconnects: 50,
  sseMaxRetryWaitMs: 2_000,
} as const;
