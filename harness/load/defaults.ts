// Load profile defaults, in one place.
export const LOAD_DEFAULTS = {
  slowRequestMs: 1_500,
  streamClients: 3,
  /** Background keep-alive workers that run beside the stream and slow profiles, so refusals still show. */
  backgroundWorkers: 2,
  sseMaxReconnects: 50,
  sseMaxRetryWaitMs: 2_000,
  /**
   * Share of the keepalive profile's connections that send back to back (the rest keep the configured rate): an
   * unannounced close of an idle keep-alive socket only hurts a request in transit at that instant, which a paced
   * socket rarely has (the race showed in 2 of 6 runs) and a back-to-back socket always has.
   */
  backToBackShare: 0.5,
  /** At least this many back-to-back connections (capped at the pool), so one unlucky socket cannot hide the race. */
  minBackToBackConnections: 2,
  /** Statuses that count as served: 2xx and 3xx (a redirect or 204 is an answer, a 502/503 is not). */
  okStatus: [[200, 399]],
  /** The body of POST requests: small, JSON, and recognisable in the app's logs. */
  postBody: '{"drainspec":1}',
} as const;
