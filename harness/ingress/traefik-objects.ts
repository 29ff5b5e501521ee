// One Traefik for one namespace, as plain objects: it sees only that namespace (a Role, never a ClusterRole) and
// routes the Ingresses there that carry its class to the pod IPs of the Services' EndpointSlices, not the ClusterIP.
// Endpoints that are not `serving` are left out; serving ones that are `terminating` stay in as "fenced" servers that
// get no new request (pkg/provider/kubernetes/ingress/kubernetes.go loadService; loadbalancer/wrr nextServer).
// Not nativeLB (the ClusterIP through kube-proxy): the point of this path is a proxy with its own endpoint view.
import type { KubernetesObject, V1Deployment, V1Role, V1RoleBinding, V1Service, V1ServiceAccount } from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../k8s/namespace.ts';
import { APP_LABEL } from '../k8s/templates.ts';
import { ACCESS_LOG_POD_HEADER } from './access-log.ts';

export const TRAEFIK_NAME = 'traefik';
export const TRAEFIK_CONTAINER = 'traefik';
/** The entrypoint the NodePort Service exposes. */
export const WEB_PORT = 8000;
/** Traefik's own entrypoint: /ping for the readiness probe, never exposed. */
export const PING_PORT = 8080;
/** The port of Traefik's Service (in-cluster clients reach it as http://traefik.<namespace>.svc.cluster.local). */
export const SERVICE_PORT = 80;

export interface TraefikOptions {
  namespace: string;
  image: string;
  nodePort: number;
  /** The class this Traefik serves (its Ingresses carry it in the kubernetes.io/ingress.class annotation). */
  ingressClass: string;
  /**
   * Traefik applies provider configuration at most once per this interval (its default is 2 s, so an endpoint change
   * can wait that long before it routes differently). Default 0: every EndpointSlice change applies at once.
   */
  providersThrottleSeconds?: number;
}

/**
 * The command line, each flag for a reason:
 * - the Ingress provider watches only `namespace` and no cluster-scope resource (IngressClasses, Nodes), so a Role
 *   suffices and instances in other namespaces never see each other's Ingresses;
 * - no throttling between an EndpointSlice event and the new configuration (see providersThrottleSeconds);
 * - a Service with no serving endpoint keeps its route and Traefik answers 503 itself; by default the route would be
 *   dropped ("Skipping service: no endpoints found") and the request fall through to another router or a 404;
 * - a JSON access log on stdout, one line per request as soon as it completes (no buffering), with Traefik's default
 *   fields (StartUTC, Duration, ServiceURL/ServiceAddr = the upstream pod, OriginStatus, DownstreamStatus, …) plus
 *   two origin response headers: the pod header, and Date, whose presence shows an upstream answered at all;
 * - /ping on a separate entrypoint for the readiness probe, so the app's own /ping stays routable;
 * - no calls home (new-version check, usage statistics): the cluster has no internet.
 */
export function traefikArgs(options: TraefikOptions): string[] {
  const throttle = `${options.providersThrottleSeconds ?? 0}s`;
  return [
    `--entryPoints.web.address=:${WEB_PORT}`,
    `--entryPoints.traefik.address=:${PING_PORT}`,
    '--ping=true',
    '--ping.entryPoint=traefik',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.namespaces=${options.namespace}`,
    '--providers.kubernetesingress.disableClusterScopeResources=true',
    `--providers.kubernetesingress.ingressClass=${options.ingressClass}`,
    '--providers.kubernetesingress.throttleDuration=0s',
    '--providers.kubernetesingress.allowEmptyServices=true',
    `--providers.providersThrottleDuration=${throttle}`,
    '--accesslog=true',
    '--accesslog.format=json',
    `--accesslog.fields.headers.names.${ACCESS_LOG_POD_HEADER}=keep`,
    '--accesslog.fields.headers.names.Date=keep',
    '--log.level=INFO',
    '--log.format=json',
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
  ];
}

export interface TraefikObjects {
  serviceAccount: V1ServiceAccount;
  role: V1Role;
  roleBinding: V1RoleBinding;
  deployment: V1Deployment;
  service: V1Service;
}

const labels = { [APP_LABEL]: TRAEFIK_NAME, [MANAGED_BY_LABEL]: MANAGED_BY };
const selector = { [APP_LABEL]: TRAEFIK_NAME };

export function traefikObjects(options: TraefikOptions): TraefikObjects {
  const { namespace } = options;
  const metadata = { name: TRAEFIK_NAME, namespace, labels };
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      // What the Ingress provider's informers list and watch (pkg/provider/kubernetes/ingress/client.go WatchAll);
      // Ingress status is only written with --providers.kubernetesingress.ingressEndpoint, which is not set.
      rules: [
        { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TRAEFIK_NAME },
      subjects: [{ kind: 'ServiceAccount', name: TRAEFIK_NAME, namespace }],
    },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: TRAEFIK_NAME,
            containers: [{
              name: TRAEFIK_CONTAINER,
              image: options.image,
              // Built locally and loaded into the nodes: there is no registry to pull from.
              imagePullPolicy: 'IfNotPresent',
              args: traefikArgs(options),
              ports: [{ name: 'web', containerPort: WEB_PORT }, { name: 'ping', containerPort: PING_PORT }],
              readinessProbe: { httpGet: { path: '/ping', port: 'ping' }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 },
              securityContext: {
                runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
              },
            }],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'NodePort',
        selector,
        // Every node answers (on kind, 127.0.0.1 reaches the control-plane node, which runs no Traefik).
        externalTrafficPolicy: 'Cluster',
        ports: [{ name: 'web', port: SERVICE_PORT, targetPort: 'web', nodePort: options.nodePort }],
      },
    },
  };
}

/** Apply order: the identity before what runs as it. */
export function applyOrder(objects: TraefikObjects): KubernetesObject[] {
  return [objects.serviceAccount, objects.role, objects.roleBinding, objects.deployment, objects.service];
}
