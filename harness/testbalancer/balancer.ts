// A test-only TCP balancer on 127.0.0.1 in front of app instances published on 127.0.0.1 ports.
// Round-robin per new connection; `markTerminating` keeps routing new connections to an instance for a lag
// after its SIGTERM, then removes it — the endpoint-removal lag that breaks apps which stop serving at once.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { PodEvent } from '../model/run-data.ts';
import { DEFAULT_BALANCER_OPTIONS, type BalancerOptions } from './defaults.ts';
import { Rotation, type UpstreamState } from './rotation.ts';
import { splice } from './splice.ts';

export interface UpstreamTarget {
  id: string;
  /** Port on 127.0.0.1 (a container port published with `-p 127.0.0.1::8080`). */
  port: number;
}

export interface UpstreamStats {
  id: string;
  state: UpstreamState;
  connections: number;
  /** Connects that failed (refused, timed out): the client got a reset. */
  connectFailures: number;
  /** Connections where the client sent bytes and the upstream ended without answering a byte (a proxy in front of a closed port does this). */
  unanswered: number;
}

export interface BalancerStats {
  upstreams: UpstreamStats[];
  /** New connections that found no routed upstream (reset at once). */
  noUpstream: number;
  openConnections: number;
}

export interface StartedTestBalancer extends AsyncDisposable {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  add(upstream: UpstreamTarget): void;
  /** Keeps routing new connections to `id` for `lagMs`, then removes it; resolves at removal. Existing connections are untouched. */
  markTerminating(id: string, lagMs: number): Promise<void>;
  stats(): BalancerStats;
  /** `endpoint-not-ready` at markTerminating, `endpoint-removed` at removal, in the run-data model. */
  podEvents(): PodEvent[];
  stop(): Promise<void>;
}

export async function startTestBalancer(upstreams: readonly UpstreamTarget[], options: Partial<BalancerOptions> = {}): Promise<StartedTestBalancer> {
  const { port, connectTimeoutMs } = { ...DEFAULT_BALANCER_OPTIONS, ...options };
  const rotation = new Rotation();
  const stats = new Map<string, UpstreamStats>();
  const events: PodEvent[] = [];
  const open = new Set<Socket>();
  const pendingRemovals = new Map<NodeJS.Timeout, () => void>();
  let noUpstream = 0;

  const add = (upstream: UpstreamTarget): void => {
    rotation.add(upstream.id, upstream.port);
    stats.set(upstream.id, { id: upstream.id, state: 'serving', connections: 0, connectFailures: 0, unanswered: 0 });
  };
  upstreams.forEach(add);

  const track = (socket: Socket): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };

  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = rotation.next();
    if (!target) {
      noUpstream += 1;
      client.resetAndDestroy();
      return;
    }
    const counters = stats.get(target.id)!;
    counters.connections += 1;
    const upstream = connect({ host: '127.0.0.1', port: target.port, allowHalfOpen: true, timeout: connectTimeoutMs });
    track(upstream);
    const failConnect = (): void => {
      counters.connectFailures += 1;
      upstream.destroy();
      client.resetAndDestroy();
    };
    upstream.once('timeout', failConnect);
    upstream.once('error', failConnect);
    upstream.once('connect', () => {
      upstream.off('timeout', failConnect);
      upstream.off('error', failConnect);
      upstream.setTimeout(0);
      splice(client, upstream, ({ clientBytes, upstreamBytes }) => {
        if (clientBytes > 0 && upstreamBytes === 0) counters.unanswered += 1;
      });
      client.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`test balancer cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const boundPort = (server.address() as { port: number }).port;

  const stop = async (): Promise<void> => {
    for (const [timer, resolve] of pendingRemovals) {
      clearTimeout(timer);
      resolve();
    }
    pendingRemovals.clear();
    const closed = [new Promise<void>((resolve) => server.close(() => resolve()))];
    for (const socket of open) {
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.destroy();
    }
    await Promise.all(closed);
  };

  return {
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    add,
    markTerminating(id, lagMs) {
      const upstream = rotation.get(id);
      if (upstream.state !== 'serving') return Promise.reject(new Error(`upstream ${id} is already ${upstream.state}`));
      upstream.state = 'terminating';
      upstream.terminatingAtMs = Date.now();
      stats.get(id)!.state = 'terminating';
      events.push({ pod: id, kind: 'endpoint-not-ready', atMs: upstream.terminatingAtMs });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pendingRemovals.delete(timer);
          upstream.state = 'removed';
          upstream.removedAtMs = Date.now();
          stats.get(id)!.state = 'removed';
          events.push({ pod: id, kind: 'endpoint-removed', atMs: upstream.removedAtMs });
          resolve();
        }, lagMs);
        pendingRemovals.set(timer, resolve);
      });
    },
    stats: () => ({ upstreams: [...stats.values()].map((s) => ({ ...s })), noUpstream, openConnections: open.size }),
    podEvents: () => [...events],
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
