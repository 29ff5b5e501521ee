// The named failure modes a drain can show, each with the diagnosis and the fix the report prints.
export const FAILURE_MODES = {
  'refused-before-endpoint-removal': {
    title: 'Stopped listening before endpoint removal propagated (F1)',
    diagnosis: 'New connections were refused while a terminating pod was still routed to: the app stopped listening (or exited) on SIGTERM before kube-proxy had removed its endpoint.',
    remediation: 'Keep serving for a drain delay after SIGTERM (fail /readyz, keep accepting for ≥ endpoint propagation), or add a preStop sleep.',
  },
  'no-endpoints': {
    title: 'No ready endpoint at all (F2)',
    diagnosis: 'Requests failed while the Service had no routable pod (none ready, or the new ones not yet programmed by kube-proxy): the rollout removed all serving capacity at once.',
    remediation: 'Use RollingUpdate with maxUnavailable: 0 (not Recreate), run more than one replica, and protect capacity with a PodDisruptionBudget.',
  },
  'keepalive-race': {
    title: 'Keep-alive race on a reused connection (F3)',
    diagnosis: 'A request sent on a reused keep-alive socket was reset or closed by the terminating pod: the server closed the connection while the client was using it.',
    remediation: 'During drain answer with `Connection: close` first, and close idle keep-alive sockets only after that window.',
  },
  'sigterm-ignored': {
    title: 'SIGTERM ignored; killed at the end of the grace period (F4)',
    diagnosis: 'The container showed no sign of draining (it kept its endpoint serving and kept answering) and was SIGKILLed (exit 137) when terminationGracePeriodSeconds ran out, cutting in-flight work: no SIGTERM handler as PID 1, or a shell-form CMD.',
    remediation: 'Handle SIGTERM in the app, use an exec-form CMD, or run an init (tini, --init) as PID 1.',
  },
  'grace-too-short': {
    title: 'Drain outlasted the grace period',
    diagnosis: 'The app showed it was draining (it logged SIGTERM, its endpoint turned not-serving, or it closed connections) but was still running when the kubelet SIGKILLed it at the deadline (exit 137), or its drain took longer than the limit.',
    remediation: 'Raise terminationGracePeriodSeconds above preStop + drain delay + the longest request, or bound in-flight work.',
  },
  'stream-dropped': {
    title: 'Long-lived stream dropped without a goodbye',
    diagnosis: 'An SSE or WebSocket stream ended by EOF, reset or timeout instead of a close frame (1001) or a `retry:` hint.',
    remediation: 'On SIGTERM end SSE streams with a `retry:` hint and close WebSockets with code 1001 before exiting.',
  },
  'proxy-upstream-failed': {
    title: 'The ingress proxy still sent requests to a draining pod (502/504 from the proxy)',
    diagnosis: 'The ingress proxy answered 502/504 itself: it sent the request to a terminating pod that refused, reset or closed the upstream connection. A proxy learns endpoint changes from its own watch, later than kube-proxy, and reuses pooled upstream keep-alive connections, so a drain that covers kube-proxy can still be too short for the ingress.',
    remediation: 'Keep accepting and serving after SIGTERM until the ingress has stopped routing to the pod: a drain delay or preStop sleep longer than the ingress controller\'s endpoint propagation (the report\'s proxy timings show it); close idle keep-alive connections only after that, answering with `Connection: close` first.',
  },
  'proxy-no-endpoints': {
    title: 'The ingress proxy had no endpoint to send to (503 from the proxy)',
    diagnosis: 'The ingress proxy answered 503 itself: in its view the Service had no ready endpoint (the rollout removed all serving capacity, or the proxy had not yet learnt of the new pods).',
    remediation: 'Use RollingUpdate with maxUnavailable: 0 and more than one replica, and keep old pods serving until the proxy routes to the new ones.',
  },
  'bad-status': {
    title: 'Error status during the rollout',
    diagnosis: 'The app (or a proxy in front of it) answered with a status outside the accepted set (--ok-status; default 2xx and 3xx).',
    remediation: 'Keep answering normally while draining: fail only the readiness endpoint, not the traffic; a 503 during drain is a failed request for the client.',
  },
  'unclean-exit': {
    title: 'Non-zero exit after SIGTERM',
    diagnosis: 'The container exited with a non-zero code other than 137 after termination began: it crashed or gave up while draining (143 = killed by its own SIGTERM with no handler).',
    remediation: 'Handle SIGTERM: finish in-flight work, close the listener and exit 0; check the container log for the error.',
  },
  'outside-termination': {
    title: 'Failure away from any termination',
    diagnosis: 'Requests failed while no pod was terminating (or after every termination had played out) and the Service had ready pods: the failure is not caused by the drain.',
    remediation: 'Look at the app and the cluster outside the rollout: errors at steady state, overload, or the network path.',
  },
  other: {
    title: 'Unexplained failure',
    diagnosis: 'Requests failed in a way none of the known drain failure modes explains.',
    remediation: 'Inspect the timeline and the request errors in report.json.',
  },
} as const;

export type FailureClass = keyof typeof FAILURE_MODES;
