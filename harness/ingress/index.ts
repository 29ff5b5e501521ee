// The ingress in front of the app: a Traefik per namespace, built locally, and its access log as evidence.
export { ACCESS_LOG_POD_HEADER, parseAccessLogLine, parseTimeMs, type ProxyAccess } from './access-log.ts';
export { deployTraefik, waitRouted, type DeployTraefikOptions, type TraefikInstance } from './deploy-traefik.ts';
export { followProxyLog, type ProxyLog, type ProxyLogFollower, type ProxyLogOptions } from './follow-proxy-log.ts';
export { INGRESS_CLASS_ANNOTATION, ingressFor, type IngressOptions } from './ingress-route.ts';
export { ensureTraefikImage, traefikImageRef, traefikKey } from './traefik-image.ts';
export { applyOrder, traefikArgs, traefikObjects, SERVICE_PORT as TRAEFIK_SERVICE_PORT, TRAEFIK_NAME, WEB_PORT, type TraefikObjects, type TraefikOptions } from './traefik-objects.ts';
