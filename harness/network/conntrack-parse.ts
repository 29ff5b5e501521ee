// Parses `conntrack -L -p tcp [-o id]` lines, e.g.
//   tcp      6 86397 ESTABLISHED src=172.18.0.1 dst=172.18.0.4 sport=40512 dport=30088 packets=7 bytes=735
//     src=10.244.1.3 dst=10.244.0.1 sport=8080 dport=40512 packets=5 bytes=1188 [ASSURED] mark=0 use=1 id=1234
// (one line): the first tuple is the original direction, the second the reply, whose source is the pod kube-proxy's
// DNAT chose. Packet/byte counters appear only with net.netfilter.nf_conntrack_acct=1.

export interface Tuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  state: string;
  /** Seconds until the entry expires (TIME_WAIT starts at nf_conntrack_tcp_timeout_time_wait). */
  timeoutSeconds: number;
  original: Tuple;
  reply: Tuple;
  /** Original + reply bytes, when accounting is on. */
  bytes?: number;
  /** conntrack's entry id (`-o id`): tells a reused tuple from the connection that had it before. */
  id?: string;
}

/** One listed TCP entry, or undefined for anything else (summary lines, other protocols, garbage). */
export function parseConntrackLine(line: string): ConntrackEntry | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'tcp' || fields.length < 5) return undefined;
  const timeoutSeconds = Number(fields[2]);
  const state = fields[3] ?? '';
  if (!Number.isFinite(timeoutSeconds) || state.includes('=')) return undefined;
  const tuples: Partial<Tuple & { bytes: number }>[] = [];
  let id: string | undefined;
  for (const field of fields.slice(4)) {
    const eq = field.indexOf('=');
    if (eq < 0) continue;
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (key === 'src') tuples.push({});
    const tuple = tuples.at(-1);
    if (key === 'id') id = value;
    else if (!tuple) continue;
    else if (key === 'src' || key === 'dst') tuple[key] = value;
    else if (key === 'sport' || key === 'dport' || key === 'bytes') tuple[key] = Number(value);
  }
  const [original, reply] = tuples;
  if (!isTuple(original) || !isTuple(reply)) return undefined;
  const bytes = original.bytes !== undefined && reply.bytes !== undefined ? original.bytes + reply.bytes : undefined;
  return {
    state, timeoutSeconds, original: tupleOf(original), reply: tupleOf(reply),
    ...(bytes === undefined ? {} : { bytes }), ...(id === undefined ? {} : { id }),
  };
}

function isTuple(t: Partial<Tuple & { bytes: number }> | undefined): t is Tuple & { bytes?: number } {
  return t?.src !== undefined && t.dst !== undefined && Number.isFinite(t.sport) && Number.isFinite(t.dport);
}

const tupleOf = (t: Tuple): Tuple => ({ src: t.src, dst: t.dst, sport: t.sport, dport: t.dport });

/** The key of a connection: its original tuple (plus conntrack's id when listed). */
export function connectionKey(entry: ConntrackEntry): string {
  const o = entry.original;
  return `${o.src}:${o.sport}>${o.dst}:${o.dport}${entry.id ? `#${entry.id}` : ''}`;
}

/** The sampler's marker line `@<epoch seconds with fraction>` (bash $EPOCHREALTIME) → epoch ms. */
export function parseSampleMarker(line: string): number | undefined {
  const match = /^@(\d+)(?:[.,](\d+))?$/.exec(line.trim());
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  return Number(match[1]) * 1000 + Number(fraction);
}
