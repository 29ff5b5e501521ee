// Typed manifests for the app under test: Deployment + NodePort Service (+ optional PodDisruptionBudget).
import type { V1Deployment, V1PodDisruptionBudget, V1Service } from '@kubernetes/client-node';

export interface AppSpec {
  name: string;
  namespace: string;
  image: string;
  containerPort: number;
  /** The Service's NodePort; undefined = a ClusterIP Service (the load goes through the ingress). */
  nodePort: number | undefined;
  replicas: number;
  env: Record<string, string>;
  readinessPath: string;
  terminationGracePeriodSeconds: number;
  /** preStop sleep in seconds; 0 = none. */
  preStopSleepSeconds: number;
  strategy: { type: 'RollingUpdate'; maxSurge: number | string; maxUnavailable: number | string } | { type: 'Recreate' };
  /** Images are loaded into the nodes: never pulled unless the user's image lives in a registry. */
  imagePullPolicy: 'Never' | 'IfNotPresent' | 'Always';
}

export const APP_LABEL = 'app.kubernetes.io/name';

export function appDeployment(spec: AppSpec): V1Deployment {
  const labels = { [APP_LABEL]: spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      progressDeadlineSeconds: 120,
      strategy: spec.strategy.type === 'Recreate'
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: spec.strategy.maxSurge, maxUnavailable: spec.strategy.maxUnavailable } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          // Spread over nodes so a node drain and kube-proxy's cross-node routing are both exercised.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor', labelSelector: { matchLabels: labels } }],
          containers: [{
            name: 'app',
            image: spec.image,
            imagePullPolicy: spec.imagePullPolicy,
            ports: [{ name: 'http', containerPort: spec.containerPort }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'PORT', value: String(spec.containerPort) },
              ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
            ],
            readinessProbe: { httpGet: { path: spec.readinessPath, port: 'http' }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 },
            ...(spec.preStopSleepSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: spec.preStopSleepSeconds } } } } : {}),
          }],
        },
      },
    },
  };
}

export function appService(spec: AppSpec): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      type: spec.nodePort === undefined ? 'ClusterIP' : 'NodePort',
      selector: { [APP_LABEL]: spec.name },
      ports: [{ name: 'http', port: 80, targetPort: 'http', ...(spec.nodePort === undefined ? {} : { nodePort: spec.nodePort }) }],
    },
  };
}

/** A PodDisruptionBudget over the app's pods (the eviction trigger needs one to mean anything). */
export function disruptionBudget(namespace: string, name: string, matchLabels: Record<string, string>, minAvailable: number): V1PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { minAvailable, selector: { matchLabels } },
  };
}
