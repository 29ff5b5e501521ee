// N sample-app containers of one variant behind the test balancer, with their lifecycle lines captured,
// terminated the way the kubelet does it: SIGTERM, then SIGKILL when the grace period runs out.
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { AppVariant, LifecycleEvent } from '../../../harness/model/run-data.ts';
import { sh } from '../../../harness/sh.ts';
import { startTestBalancer, type StartedTestBalancer } from '../../../harness/testbalancer/index.ts';
import { SUITE_CONTAINER_LABEL } from '../settings.ts';

const APP_PORT = 8080;

/** Publishes the app port on 127.0.0.1 only (testcontainers binds all interfaces by default). */
class LoopbackAppContainer extends GenericContainer {
  withLoopbackPort(port: number): this {
    this.withExposedPorts(port);
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] };
    return this;
  }
}

export interface AppInstance {
  id: string;
  container: StartedTestContainer;
  port: number;
  lifecycle: LifecycleEvent[];
}

export interface Termination {
  id: string;
  /** When SIGTERM was sent and the balancer started its removal lag. */
  triggerAtMs: number;
  /** When the process died (docker's State.FinishedAt). */
  exitedAtMs: number;
  exitCode: number;
  /** When the balancer stopped routing new connections to it. */
  removedAtMs: number;
}

export interface TerminateOptions {
  gracePeriodMs: number;
  /** Endpoint-removal lag: new connections still routed to the instance after SIGTERM. */
  lagMs: number;
  /** A preStop sleep before SIGTERM (counts against the grace period, as in the kubelet). */
  preStopMs?: number;
}

export interface AppFleet extends AsyncDisposable {
  balancer: StartedTestBalancer;
  instances: AppInstance[];
  instance(id: string): AppInstance;
  terminate(id: string, options: TerminateOptions): Promise<Termination>;
}

function captureLifecycle(into: LifecycleEvent[]): (stream: NodeJS.ReadableStream) => void {
  return (stream) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer | string) => {
      buffer += String(chunk);
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{"event"')) into.push(JSON.parse(line) as LifecycleEvent);
    });
  };
}

async function startInstance(image: string, variant: AppVariant, id: string, env: Record<string, string>): Promise<AppInstance> {
  const lifecycle: LifecycleEvent[] = [];
  const container = await new LoopbackAppContainer(image)
    .withLoopbackPort(APP_PORT)
    .withEnvironment({ DRAINSPEC_VARIANT: variant, POD_NAME: id, PORT: String(APP_PORT), ...env })
    .withLabels(Object.fromEntries([SUITE_CONTAINER_LABEL.split('=') as [string, string]]))
    .withLogConsumer(captureLifecycle(lifecycle))
    .withWaitStrategy(Wait.forLogMessage(/"event":"ready"/))
    .withStartupTimeout(30_000)
    .start();
  return { id, container, port: container.getMappedPort(APP_PORT), lifecycle };
}

export async function startAppFleet(image: string, variant: AppVariant, options: { instances: number; env?: Record<string, string> }): Promise<AppFleet> {
  const instances: AppInstance[] = [];
  const removeAll = async (): Promise<void> => {
    const ids = instances.map((i) => i.container.getId());
    if (ids.length > 0) await sh`docker rm -f ${ids}`.nothrow();
  };
  let balancer: StartedTestBalancer;
  try {
    for (let i = 0; i < options.instances; i += 1) instances.push(await startInstance(image, variant, `${variant}-${String.fromCharCode(97 + i)}`, options.env ?? {}));
    balancer = await startTestBalancer(instances.map((i) => ({ id: i.id, port: i.port })));
  } catch (error) {
    await removeAll();
    throw error;
  }

  const instance = (id: string): AppInstance => {
    const found = instances.find((i) => i.id === id);
    if (!found) throw new Error(`no instance ${id} in the fleet (have ${instances.map((i) => i.id).join(', ')})`);
    return found;
  };

  return {
    balancer,
    instances,
    instance,
    async terminate(id, { gracePeriodMs, lagMs, preStopMs = 0 }) {
      const { container } = instance(id);
      if ((gracePeriodMs - preStopMs) % 1000 !== 0 || gracePeriodMs <= preStopMs) {
        throw new Error(`grace period minus preStop must be whole seconds (docker stop -t), got ${gracePeriodMs - preStopMs} ms`);
      }
      const triggerAtMs = Date.now();
      const removed = balancer.markTerminating(id, lagMs);
      if (preStopMs > 0) await new Promise((resolve) => setTimeout(resolve, preStopMs));
      // docker stop: SIGTERM, then SIGKILL after the timeout (whole seconds), like the kubelet.
      await container.stop({ timeout: gracePeriodMs - preStopMs, remove: false });
      await removed;
      const state = (await sh`docker inspect --format ${'{{.State.ExitCode}} {{.State.FinishedAt}}'} ${container.getId()}`).stdout.trim().split(' ');
      return { id, triggerAtMs, exitCode: Number(state[0]), exitedAtMs: Date.parse(state[1] ?? ''), removedAtMs: balancer.podEvents().find((e) => e.pod === id && e.kind === 'endpoint-removed')?.atMs ?? Number.NaN };
    },
    async [Symbol.asyncDispose]() {
      try {
        await balancer.stop();
      } finally {
        await removeAll();
      }
    },
  };
}
