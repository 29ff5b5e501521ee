import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type DrainspecConfig } from '../config/defaults.ts';
import { DEFAULT_MATRIX } from '../scenarios/catalogue.ts';
import { couldNotTestReason } from './run-matrix.ts';
import { openTarget, plannedScenarios } from './target.ts';
import { createProgress } from '../progress/progress.ts';
import { refusingUrl, startFakeApiServer, writeKubeconfig } from '../k8s/fake-api-server.ts';

const config = (patch: Partial<DrainspecConfig>): DrainspecConfig => ({ ...DEFAULT_CONFIG, ...patch });

describe('plannedScenarios', () => {
  test('the sample matrix on kind runs every scenario', () => {
    expect(plannedScenarios(DEFAULT_CONFIG, true)).toEqual({ scenarios: [...DEFAULT_MATRIX], skipped: [] });
  });
  test('your image gets the your-app matrix; no second tag skips image-change', () => {
    const { scenarios } = plannedScenarios(config({ app: { ...DEFAULT_CONFIG.app, image: 'registry.example/app:1' } }), false);
    expect(scenarios.every((s) => s.app === 'your-app' && s.expected.verdict === 'pass')).toBe(true);
    expect(scenarios.some((s) => s.trigger === 'image-change')).toBe(false);
  });
  test('an existing cluster never gets its nodes cordoned', () => {
    const { scenarios, skipped } = plannedScenarios(config({ provider: 'existing' }), false);
    expect(scenarios.some((s) => s.trigger === 'node-drain' || s.trigger === 'image-change')).toBe(false);
    expect(skipped.slice(0, 2)).toEqual(['graceful/image-change/slow (needs a second tag of the image)', 'graceful/node-drain/keepalive (cordons a shared node)']);
    // Without --ingress-class there is no ingress controller of yours to go through.
    const throughIngress = DEFAULT_MATRIX.filter((s) => s.via === 'ingress').map((s) => `${s.id} (through the ingress needs --ingress-class on a cluster of yours)`);
    expect(skipped.slice(2)).toEqual(throughIngress);
  });
  test('load from inside the cluster runs the HTTP profiles; SSE and WebSocket scenarios stay with the host', () => {
    const { scenarios, skipped } = plannedScenarios(config({ load: { ...DEFAULT_CONFIG.load, from: 'cluster' } }), true);
    expect(scenarios.some((s) => s.load === 'sse' || s.load === 'websocket')).toBe(false);
    expect(skipped).toEqual(['graceful/env-change/sse (sse streams run from the host only (--load-from host))', 'graceful/scale-down/websocket (websocket streams run from the host only (--load-from host))']);
  });
  test('a scenario glob that matches nothing is a one-line error', () => {
    expect(() => plannedScenarios(config({ scenarios: ['nope/*'] }), true)).toThrow(/--scenario nope\/\* matches none of/);
  });
});

describe('couldNotTestReason', () => {
  test('API errors by their reason, others by the first line of their message', () => {
    expect(couldNotTestReason({ code: 403, body: JSON.stringify({ message: 'pods is forbidden' }) })).toBe('forbidden (RBAC): pods is forbidden');
    expect(couldNotTestReason(new Error('timed out waiting for app to settle\nmore'))).toBe('timed out waiting for app to settle');
  });
});

describe('openTarget on an existing cluster: the connect check', () => {
  const yourImage = (kubeconfig: string, context = 'fake') => config({ provider: 'existing', existing: { kubeconfig, context }, app: { ...DEFAULT_CONFIG.app, image: 'registry.example/app:1' } });
  const open = (target: DrainspecConfig, signal?: AbortSignal) => openTarget(target, createProgress(), { runId: 'test-run', signal });
  const failure = async (target: DrainspecConfig, signal?: AbortSignal) => {
    const startedAt = Date.now();
    const error = await open(target, signal).then(() => undefined, (e: unknown) => e as Error);
    return { message: error?.message ?? '(opened)', ms: Date.now() - startedAt };
  };

  test('a refused connection is one line naming the context and the server, never the credentials', async () => {
    const url = await refusingUrl();
    const { message } = await failure(yourImage(writeKubeconfig(url)));
    expect(message).toBe(`cannot use context fake (server ${url}): API server unreachable (ECONNREFUSED)`);
    expect(message).not.toContain('fake-secret-token');
  });
  test('an unknown context names the flag and the contexts there are', async () => {
    const kubeconfig = writeKubeconfig(await refusingUrl(), 'staging');
    await expect(open(yourImage(kubeconfig, 'prod'))).rejects.toThrow(/context "prod" not found in kubeconfig .*: pass --context \(existing.context in drainspec.config.ts\) with one of staging$/);
  });
  test.concurrent.each([
    ['silent', /\(server http:\/\/127.0.0.1:\d+\): API server did not answer within 10 s \(GET \/api\/v1\/namespaces\)$/],
    ['stall-after-first', /\(server http:\/\/127.0.0.1:\d+\): API server did not answer within 10 s \(GET \/[a-z/-]+\)$/],
  ] as const)('a server that is %s fails the connect check in under 15 s', async (behaviour, reason) => {
    await using server = await startFakeApiServer(behaviour);
    const { message, ms } = await failure(yourImage(writeKubeconfig(server.url)));
    expect(message).toMatch(/^cannot use context fake /);
    expect(message).toMatch(reason);
    expect(ms).toBeLessThan(15_000);
  }, 20_000);
  test.each([
    ['html', 'the server answered with text/html, not the Kubernetes API: is the server URL right?'],
    ['unauthorized', 'unauthorized (HTTP 401): the server rejected the credentials: refresh them in the kubeconfig'],
    ['forbidden', 'forbidden (RBAC): namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope'],
  ] as const)('a server that answers %s is named for what it is', async (behaviour, reason) => {
    await using server = await startFakeApiServer(behaviour);
    expect((await failure(yourImage(writeKubeconfig(server.url)))).message).toBe(`cannot use context fake (server ${server.url}): ${reason}`);
  });
  test('Ctrl-C during the connect check ends it within 2 s with the interrupt as the reason', async () => {
    await using server = await startFakeApiServer('silent');
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(new Error('interrupted by SIGINT')), 300);
    const { message, ms } = await failure(yourImage(writeKubeconfig(server.url)), interrupt.signal);
    expect(message).toBe('interrupted by SIGINT');
    expect(ms).toBeLessThan(2_300);
  });
  test('a healthy server opens the target with every published NodePort free', async () => {
    await using server = await startFakeApiServer('healthy');
    await using target = await open(yourImage(writeKubeconfig(server.url)));
    expect(target.environment).toMatchObject({ context: 'fake', kubernetesVersion: 'v1.34.0-fake' });
    expect(target.nodePorts[0]).toBe(30080);
  });
});
