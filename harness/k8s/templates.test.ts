import { describe, expect, test } from 'vitest';
import { APP_LABEL, type AppSpec, appDeployment, appService, disruptionBudget } from './templates.ts';

const spec: AppSpec = {
  name: 'app', namespace: 'ns', image: 'drainspec/sample-app:abc', containerPort: 8080, nodePort: 30080, replicas: 3,
  env: { DRAINSPEC_VARIANT: 'graceful' }, readinessPath: '/readyz', terminationGracePeriodSeconds: 15, preStopSleepSeconds: 0,
  strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 }, imagePullPolicy: 'Never',
};

describe('app templates', () => {
  test('the deployment carries the grace period, readiness probe, pod name and variant', () => {
    const d = appDeployment(spec);
    const pod = d.spec?.template.spec;
    expect(pod?.terminationGracePeriodSeconds).toBe(15);
    expect(pod?.containers[0]?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(pod?.containers[0]?.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(pod?.containers[0]?.env?.find((e) => e.name === 'DRAINSPEC_VARIANT')?.value).toBe('graceful');
    expect(pod?.containers[0]?.lifecycle).toBeUndefined();
    expect(d.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });
  test('a preStop sleep and Recreate strategy are rendered when asked', () => {
    const d = appDeployment({ ...spec, preStopSleepSeconds: 5, strategy: { type: 'Recreate' } });
    expect(d.spec?.template.spec?.containers[0]?.lifecycle?.preStop?.sleep?.seconds).toBe(5);
    expect(d.spec?.strategy).toEqual({ type: 'Recreate' });
  });
  test('the service publishes the requested NodePort and selects the app', () => {
    const s = appService(spec);
    expect(s.spec?.type).toBe('NodePort');
    expect(s.spec?.ports?.[0]?.nodePort).toBe(30080);
    expect(s.spec?.selector).toEqual(d().spec?.selector?.matchLabels);
    expect(disruptionBudget('ns', 'app', { [APP_LABEL]: 'app' }, 2).spec).toEqual({ minAvailable: 2, selector: { matchLabels: { [APP_LABEL]: 'app' } } });
  });
});

function d() {
  return appDeployment(spec);
}
