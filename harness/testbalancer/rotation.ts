// Which upstream takes the next new connection: round-robin over those still routed. A terminating upstream
// stays routed until its removal time (the endpoint-removal lag), exactly like a stale kube-proxy rule.

export type UpstreamState = 'serving' | 'terminating' | 'removed';

export interface RoutedUpstream {
  id: string;
  port: number;
  state: UpstreamState;
  terminatingAtMs?: number;
  removedAtMs?: number;
}

export class Rotation {
  readonly upstreams: RoutedUpstream[] = [];
  private cursor = 0;

  add(id: string, port: number): void {
    if (this.upstreams.some((u) => u.id === id)) throw new Error(`upstream ${id} is already in the balancer`);
    this.upstreams.push({ id, port, state: 'serving' });
  }

  get(id: string): RoutedUpstream {
    const upstream = this.upstreams.find((u) => u.id === id);
    if (!upstream) throw new Error(`no upstream ${id} in the balancer (have: ${this.upstreams.map((u) => u.id).join(', ')})`);
    return upstream;
  }

  /** Next routed upstream, or undefined when none is left (the client then gets a reset, like a REJECT rule). */
  next(): RoutedUpstream | undefined {
    const routed = this.upstreams.filter((u) => u.state !== 'removed');
    if (routed.length === 0) return undefined;
    const picked = routed[this.cursor % routed.length];
    this.cursor += 1;
    return picked;
  }
}
