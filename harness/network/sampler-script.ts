// The shell side of the conntrack sampler: a preflight and a bounded loop, both run with bash inside the kind node
// container (the official kindest/node and our air-gapped Debian image both have bash ≥ 5, grep and conntrack).

/**
 * Checks the tools, turns on conntrack byte accounting and prints `acct=<0|1> timewait=<s> id=<0|1>`.
 * Setting nf_conntrack_acct is safe here: the sysctl is per network namespace, so it touches only our own kind node
 * container (never the host), and it only adds counters to entries created from then on.
 */
export function preflightScript(nodePort: number): string {
  return [
    'for tool in conntrack grep; do command -v "$tool" >/dev/null || { echo "missing=$tool"; exit 0; }; done',
    '[ -n "${EPOCHREALTIME:-}" ] || { echo "missing=bash-5-EPOCHREALTIME"; exit 0; }',
    'f=/proc/sys/net/netfilter/nf_conntrack_acct',
    '[ "$(cat $f 2>/dev/null)" = 1 ] || echo 1 > $f 2>/dev/null',
    'id=0; conntrack -L -p tcp --orig-port-dst ' + nodePort + ' -o id >/dev/null 2>&1 && id=1',
    'echo "acct=$(cat $f 2>/dev/null || echo 0) timewait=$(cat /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait 2>/dev/null || echo 120) id=$id"',
  ].join('\n');
}

export interface Preflight {
  missing?: string;
  accounting: boolean;
  timeWaitSeconds: number;
  entryIds: boolean;
}

export function parsePreflight(output: string): Preflight {
  const value = (key: string) => new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(output)?.[1];
  const missing = value('missing');
  return {
    ...(missing ? { missing } : {}),
    accounting: value('acct') === '1',
    timeWaitSeconds: Number(value('timewait') ?? 120) || 120,
    entryIds: value('id') === '1',
  };
}

/**
 * An extended regex for TIME_WAIT entries older than `keepSeconds` (remaining timeout below timewait − keep). They
 * are left out of each listing: a closed connection's counters never grow again, and at a few hundred fresh
 * connections per second the table holds tens of thousands of them.
 */
export function oldTimeWaitPattern(timeWaitSeconds: number, keepSeconds: number): string {
  const below = Math.max(0, timeWaitSeconds - keepSeconds);
  const numbers = Array.from({ length: below }, (_, i) => String(i));
  return numbers.length === 0 ? '^$' : `^tcp +6 +(${numbers.join('|')}) TIME_WAIT `;
}

export interface LoopOptions {
  nodePort: number;
  intervalMs: number;
  maxSamples: number;
  maxSeconds: number;
  entryIds: boolean;
  /** From oldTimeWaitPattern. */
  dropPattern: string;
}

/**
 * Prints `@<epoch seconds>` then the listing, on a steady cadence (a slow listing shortens the next wait, never
 * bursts to catch up), until `maxSamples` or `maxSeconds`, or until stdin closes (the harness stopping it, or
 * dying): then one last sample at once, so that stopping captures everything up to the stop. Ends with `@end`.
 * `read -t` is the sleep; times are integer microseconds from $EPOCHREALTIME.
 */
export function loopScript(o: LoopOptions): string {
  const intervalUs = Math.round(o.intervalMs * 1000);
  return [
    `n=0; last=0; end=$((SECONDS + ${Math.ceil(o.maxSeconds)})); next=\${EPOCHREALTIME/[.,]/}`,
    `while [ "$n" -lt ${o.maxSamples} ] && [ "$SECONDS" -lt "$end" ]; do`,
    '  echo "@$EPOCHREALTIME"',
    `  conntrack -L -p tcp --orig-port-dst ${o.nodePort}${o.entryIds ? ' -o id' : ''} 2>/dev/null | grep -Ev '${o.dropPattern}'`,
    '  [ "$last" = 1 ] && break',
    '  n=$((n + 1))',
    `  next=$((next + ${intervalUs})); now=\${EPOCHREALTIME/[.,]/}; gap=$((next - now))`,
    '  if [ "$gap" -lt 1000 ]; then gap=1000; next=$now; fi',
    '  printf -v pause \'%d.%06d\' $((gap / 1000000)) $((gap % 1000000))',
    '  read -r -t "$pause" _; rc=$?',
    '  [ "$rc" -gt 128 ] || [ "$rc" -eq 0 ] || last=1',
    'done',
    'echo "@end"',
  ].join('\n');
}
