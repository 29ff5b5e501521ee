import { describe, expect, test } from 'vitest';
import { ingressFor, INGRESS_CLASS_ANNOTATION } from './ingress-route.ts';
import { applyOrder, traefikArgs, traefikObjects } from './traefik-objects.ts';

const options = { namespace: 'drainspec-run-0', image: 'drainspec/traefik:v3.7.13-abc', nodePort: 30086, ingressClass: 'drainspec-run-0' };

describe('Traefik for one namespace', () => {
  test('RBAC is namespace-scoped: a Role and RoleBinding in the namespace, read-only, no cluster-scope kind', () => {
    const objects = applyOrder(traefikObjects(options));
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service']);
    for (const object of objects) expect(object.metadata?.namespace).toBe(options.namespace);
    const { role } = traefikObjects(options);
    expect(role.rules?.flatMap((r) => r.verbs)).not.toContain('update');
    expect(role.rules?.flatMap((r) => r.resources)).toEqual(['services', 'secrets', 'endpointslices', 'ingresses']);
  });

  test('Traefik watches only its namespace and class, and never cluster-scope resources', () => {
    const args = traefikArgs(options);
    expect(args).toContain('--providers.kubernetesingress.namespaces=drainspec-run-0');
    expect(args).toContain('--providers.kubernetesingress.ingressClass=drainspec-run-0');
    expect(args).toContain('--providers.kubernetesingress.disableClusterScopeResources=true');
    expect(args).toContain('--providers.providersThrottleDuration=0s');
    expect(traefikArgs({ ...options, providersThrottleSeconds: 2 })).toContain('--providers.providersThrottleDuration=2s');
  });

  test('the NodePort Service exposes the web entrypoint on the given port', () => {
    const { service, deployment } = traefikObjects(options);
    expect(service.spec?.ports).toEqual([{ name: 'web', port: 80, targetPort: 'web', nodePort: 30086 }]);
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(options.image);
  });

  test('an Ingress picks its Traefik by annotation (spec.ingressClassName would need a cluster-scope IngressClass)', () => {
    const ingress = ingressFor({ namespace: options.namespace, serviceName: 'app', servicePort: 80, ingressClass: options.ingressClass });
    expect(ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION]).toBe(options.ingressClass);
    expect(ingress.spec?.ingressClassName).toBeUndefined();
    expect(ingress.spec?.rules?.[0]).toEqual({ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } });
    expect(ingressFor({ namespace: 'n', serviceName: 'app', servicePort: 'http', ingressClass: 'c', host: 'app.test' }).spec?.rules?.[0]?.host).toBe('app.test');
  });
});
