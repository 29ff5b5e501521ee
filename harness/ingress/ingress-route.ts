// The Ingress that routes to the app through the Traefik of its class.
import type { V1Ingress } from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../k8s/namespace.ts';

/**
 * The `kubernetes.io/ingress.class` annotation is how an Ingress picks this Traefik: with cluster-scope resources
 * disabled Traefik cannot read IngressClass objects, so an Ingress naming one in spec.ingressClassName is never
 * matched (pkg/provider/kubernetes/ingress/kubernetes.go, shouldProcessIngress against an empty class list).
 */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface IngressOptions {
  namespace: string;
  serviceName: string;
  servicePort: number | string;
  ingressClass: string;
  /** Routes only this Host; absent, any host. */
  host?: string;
  name?: string;
  /**
   * How the class is named: the annotation (drainspec's namespace-scoped Traefik, which cannot read IngressClass
   * objects) or `spec.ingressClassName` (a cluster's own controller, as its IngressClass says). Default annotation.
   */
  classBy?: 'annotation' | 'spec';
}

/** A networking.k8s.io/v1 Ingress sending every path to one Service port, picked up by the Traefik of `ingressClass`. */
export function ingressFor(options: IngressOptions): V1Ingress {
  const port = typeof options.servicePort === 'number' ? { number: options.servicePort } : { name: options.servicePort };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: options.name ?? options.serviceName,
      namespace: options.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      ...(options.classBy === 'spec' ? {} : { annotations: { [INGRESS_CLASS_ANNOTATION]: options.ingressClass } }),
    },
    spec: {
      ...(options.classBy === 'spec' ? { ingressClassName: options.ingressClass } : {}),
      rules: [{
        ...(options.host ? { host: options.host } : {}),
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: options.serviceName, port } } }] },
      }],
    },
  };
}
