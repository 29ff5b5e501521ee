// Bring your own manifests, end to end: a Deployment + Service written the way a user would (own labels, own
// container name, own grace period), deployed as they are into the run's namespace and rolled under load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { createProgress } from '../../harness/progress/progress.ts';
import { runMatrix } from '../../harness/run/run-matrix.ts';
import { newRunId } from '../../harness/run/run-id.ts';
import type { Target } from '../../harness/run/target.ts';
import { YOUR_APP_MATRIX, yourAppMatrix } from '../../harness/scenarios/catalogue.ts';
import { suiteTarget } from './support/suite-target.ts';

const manifests = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
  template:
    metadata: { labels: { app: shop } }
    spec:
      terminationGracePeriodSeconds: 20
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Never
          env:
            - { name: DRAINSPEC_VARIANT, value: graceful }
            - { name: DRAIN_DELAY_MS, value: "4000" }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /readyz, port: http }, periodSeconds: 1, failureThreshold: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: shop-http }
spec:
  selector: { app: shop }
  ports: [{ port: 80, targetPort: http }]
`;

let target: Target;
let dir: string;
const runId = newRunId();

beforeAll(async () => {
  target = await suiteTarget({ from: 8, to: 9 });
  dir = mkdtempSync(join(tmpdir(), 'drainspec-user-manifests-'));
  writeFileSync(join(dir, 'shop.yaml'), manifests(inject('sampleAppImage')));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('your manifests', () => {
  test('a gracefully draining app from user manifests passes a rollout restart under keep-alive load', async () => {
    const scenario = YOUR_APP_MATRIX.find((s) => s.id === 'your-app/rollout-restart/keepalive');
    if (!scenario) throw new Error('catalogue lost your-app/rollout-restart/keepalive');
    const config = { ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, manifests: dir }, reportDir: 'reports/conformance' };
    const [report] = await runMatrix({ config, runId, scenarios: [scenario], target, reportDir: `reports/conformance/${runId}`, progress: createProgress(), signal: AbortSignal.timeout(10 * 60_000) });
    expect(report?.error).toBeUndefined();
    expect(report?.verdict).toBe('pass');
    expect(report?.totals?.sent ?? 0).toBeGreaterThan(100);
    // The user's own grace period and container were used: the old pods drained on SIGTERM, well inside 20 s.
    expect(report?.drain?.pods.length).toBe(3);
    expect(report?.drain?.limitMs).toBe(20_000);
    expect(report?.drain?.pods.every((p) => p.exitCode === 0 && (p.sigtermToExitMs ?? Infinity) < 20_000)).toBe(true);
  });

  test('your long-lived endpoints: --sse-path and --ws-path add stream scenarios, passed by an app that says goodbye', async () => {
    const paths = { slowPath: '', ssePath: '/events', wsPath: '/ws' };
    const scenarios = yourAppMatrix(paths).filter((s) => s.load === 'sse' || s.load === 'websocket');
    expect(scenarios.map((s) => s.id)).toEqual(['your-app/rollout-restart/sse', 'your-app/rollout-restart/websocket']);
    const config = { ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, manifests: dir, ...paths }, reportDir: 'reports/conformance' };
    const reports = await runMatrix({ config, runId, scenarios, indexOffset: 1, target, reportDir: `reports/conformance/${runId}`, progress: createProgress(), signal: AbortSignal.timeout(10 * 60_000) });
    for (const report of reports) {
      expect(report.error, report.id).toBeUndefined();
      expect(report.verdict, `${report.id}: ${report.findings.map((f) => f.example).join('; ')}`).toBe('pass');
      // Streams were open on the pods that terminated, and each ended with a goodbye.
      expect(report.streams?.cleanlyClosed ?? 0, report.id).toBeGreaterThan(0);
      expect(report.streams?.dropped, report.id).toBe(0);
      expect(report.coverage?.exercised, report.coverage?.note).toBe(true);
    }
  });
});
