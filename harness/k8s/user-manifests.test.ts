import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { prepareUserApp, readManifests } from './user-manifests.ts';

const YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop, namespace: prod, resourceVersion: "7" }
spec:
  replicas: 5
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop, tier: web } }
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - { name: web, image: registry.example/shop:2, ports: [{ containerPort: 3000 }] }
        - { name: sidecar, image: registry.example/proxy:1 }
---
apiVersion: v1
kind: Service
metadata: { name: shop-http, namespace: prod }
spec:
  type: ClusterIP
  clusterIP: 10.0.0.12
  selector: { app: shop }
  ports: [{ port: 80, targetPort: 3000 }, { name: metrics, port: 9090 }]
---
apiVersion: v1
kind: Service
metadata: { name: unrelated }
spec: { selector: { app: other }, ports: [{ port: 1 }] }
`;

function withFile<T>(text: string, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'drainspec-manifests-'));
  try {
    writeFileSync(join(dir, 'app.yaml'), text);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('user manifests', () => {
  test('the Deployment and its Service move into the run namespace; only replicas and the NodePort change', () => {
    const user = withFile(YAML, (dir) => prepareUserApp(readManifests(dir), 'drainspec-run-0', 30081, 3));
    expect(user.app).toEqual({ namespace: 'drainspec-run-0', name: 'shop', service: 'shop-http', container: 'web', matchLabels: { app: 'shop' } });
    expect(user.deployment.metadata).toEqual({ name: 'shop', namespace: 'drainspec-run-0' });
    expect(user.deployment.spec?.replicas).toBe(3);
    expect(user.deployment.spec?.template.spec?.terminationGracePeriodSeconds).toBe(45);
    expect(user.service.spec?.type).toBe('NodePort');
    expect(user.service.spec?.clusterIP).toBeUndefined();
    expect(user.service.spec?.ports?.map((p) => p.nodePort)).toEqual([30081, undefined]);
    expect(user.images).toEqual(['registry.example/shop:2', 'registry.example/proxy:1']);
  });

  test('problems are one line naming what to fix', () => {
    expect(() => readManifests('/nonexistent/drainspec')).toThrow('--manifests /nonexistent/drainspec not found: give a YAML file or a directory of them');
    expect(() => withFile('kind: Service\nmetadata: {name: x}\n', (dir) => prepareUserApp(readManifests(dir), 'ns', 30080, 3))).toThrow('--manifests must hold exactly one Deployment, found 0');
    const noService = YAML.split('---')[0] as string;
    expect(() => withFile(noService, (dir) => prepareUserApp(readManifests(dir), 'ns', 30080, 3))).toThrow("--manifests must hold exactly one Service selecting Deployment shop's pods, found 0");
    expect(() => withFile('a: [', (dir) => readManifests(dir))).toThrow(/app\.yaml:\d+: not valid YAML: /);
  });
});
