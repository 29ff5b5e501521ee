import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import { appRolloutSettings } from './app-settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'drainspec-app-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the report rollout row', () => {
  test('your manifests: their own grace period and preStop, not the sample app\'s drain delay', () => {
    const file = join(dir, 'app.yaml');
    writeFileSync(file, `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: web
          image: nginx:1
          lifecycle: { preStop: { sleep: { seconds: 7 } } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`);
    const settings = appRolloutSettings({ ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, manifests: file } });
    expect(settings).toEqual({ terminationGracePeriodSeconds: 45, appRollout: 'your manifests: terminationGracePeriodSeconds 45, preStop sleep 7s, RollingUpdate maxSurge 25% maxUnavailable 25%' });
  });
  test('your image: no drain delay or preStop claimed', () => {
    const settings = appRolloutSettings({ ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, image: 'registry.example/app:1' } });
    expect(settings.drainDelayMs).toBeUndefined();
    expect(settings.appRollout).toMatch(/^your image: terminationGracePeriodSeconds 15 \(--grace-period\), no preStop/);
  });
  test('the sample app keeps its drain delay and preStop', () => {
    expect(appRolloutSettings(DEFAULT_CONFIG)).toMatchObject({ drainDelayMs: 5_000, preStopSleepSeconds: 5 });
  });
});
