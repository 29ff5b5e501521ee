// Every deadline the harness gives the Kubernetes API, in one place (Kubernetes e2e's TimeoutContext, smaller).
export const API_TIMEOUTS = {
  /** One API request, headers and body: a healthy server answers in milliseconds, a loaded one in a few seconds. */
  requestMs: 10_000,
  /** The connect phase as a whole (first check + describing the cluster): an unresponsive server fails it in this. */
  connectCheckMs: 14_000,
  /** A watch or log stream until the server sends its response headers. */
  streamStartMs: 10_000,
  /**
   * A watch that carries nothing for this long is dropped and resumed from its last resourceVersion (nothing is
   * lost): a stalled connection must not silently end the evidence.
   */
  watchIdleMs: 60_000,
} as const;
