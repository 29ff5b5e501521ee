// Bring your own manifests: one Deployment and the Service in front of it, taken as they are except for what the
// harness must control — the namespace (the run's own), the replica count, and the Service exposed as a NodePort
// on the port the run publishes on 127.0.0.1. Grace periods, probes, preStop hooks and strategy stay the user's.
import { loadAllYaml, type KubernetesObject, type V1Deployment, type V1Service } from '@kubernetes/client-node';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRef } from './rollout.ts';

export interface UserApp {
  deployment: V1Deployment;
  service: V1Service;
  app: AppRef;
  /** Images the pod template uses (kind loads those present in the local engine). */
  images: string[];
}

/** Reads every YAML document from a file, or from each *.yaml / *.yml file of a directory. */
export function readManifests(path: string): KubernetesObject[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(path, f)) : [path];
  } catch {
    throw new Error(`--manifests ${path} not found: give a YAML file or a directory of them`);
  }
  if (files.length === 0) throw new Error(`--manifests ${path} is a directory without .yaml or .yml files: give the file or directory holding your Deployment and Service`);
  return files.flatMap((file) => {
    try {
      return (loadAllYaml(readFileSync(file, 'utf8')) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject => o !== null && typeof o === 'object');
    } catch (error) {
      const first = (error as Error).message.split('\n')[0] as string;
      const at = /^(.*) \((\d+):\d+\)$/.exec(first);
      throw new Error(at ? `${file}:${at[2]}: not valid YAML: ${at[1]}` : `${file} is not valid YAML: ${first}`, { cause: error });
    }
  });
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Picks the Deployment and its Service and adapts them to the run (pure). Every problem is one line. */
/** `nodePort` undefined: the Service is made ClusterIP (the load goes through the ingress). */
export function prepareUserApp(objects: readonly KubernetesObject[], namespace: string, nodePort: number | undefined, replicas: number): UserApp {
  const deployments = objects.filter((o) => o.kind === 'Deployment') as V1Deployment[];
  if (deployments.length !== 1) throw new Error(`--manifests must hold exactly one Deployment, found ${deployments.length}`);
  const source = deployments[0] as V1Deployment;
  const name = source.metadata?.name;
  const matchLabels = source.spec?.selector?.matchLabels;
  const podTemplateLabels = source.spec?.template?.metadata?.labels ?? {};
  const containers = source.spec?.template?.spec?.containers ?? [];
  if (!name || !matchLabels || Object.keys(matchLabels).length === 0) throw new Error('the Deployment in --manifests needs metadata.name and spec.selector.matchLabels');
  if (containers.length === 0) throw new Error(`Deployment ${name} has no containers`);
  const services = (objects.filter((o) => o.kind === 'Service') as V1Service[]).filter((s) => s.spec?.selector && matches(s.spec.selector, podTemplateLabels));
  if (services.length !== 1) throw new Error(`--manifests must hold exactly one Service selecting Deployment ${name}'s pods, found ${services.length}`);
  const sourceService = services[0] as V1Service;
  const ports = sourceService.spec?.ports ?? [];
  if (ports.length === 0) throw new Error(`Service ${sourceService.metadata?.name} has no ports`);

  const deployment: V1Deployment = structuredClone(source);
  deployment.metadata = { ...deployment.metadata, name, namespace };
  delete deployment.metadata.resourceVersion;
  deployment.spec = { ...deployment.spec, replicas } as V1Deployment['spec'];
  const service: V1Service = structuredClone(sourceService);
  service.metadata = { ...service.metadata, namespace };
  delete service.metadata.resourceVersion;
  service.spec = {
    ...service.spec,
    type: nodePort === undefined ? 'ClusterIP' : 'NodePort',
    clusterIP: undefined,
    clusterIPs: undefined,
    ports: ports.map((p, i) => ({ ...p, nodePort: i === 0 ? nodePort : undefined })),
  };
  return {
    deployment,
    service,
    app: { namespace, name, service: service.metadata?.name ?? name, container: (containers[0] as { name: string }).name, matchLabels },
    images: [...new Set(containers.map((c) => c.image ?? '').filter(Boolean))],
  };
}
