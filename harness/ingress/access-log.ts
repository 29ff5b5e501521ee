// Traefik's JSON access log, one request per line (pure). Field names are Traefik's (pkg/middlewares/accesslog/
// logdata.go); origin_<Header> fields are the upstream's response headers the command line keeps (traefik-objects.ts).

/** One request as the proxy saw it. Times are on the proxy's clock (the node's). */
export interface ProxyAccess {
  /** When the proxy received the request (StartUTC), ms since the epoch, sub-millisecond as a fraction. */
  atMs: number;
  /** Until the proxy had sent the response (Duration). */
  durationMs: number;
  /** What the client got (DownstreamStatus). */
  status: number;
  /** What the upstream answered (OriginStatus); absent when no upstream answered. */
  originStatus?: number;
  /** The upstream the proxy picked, pod IP:port (ServiceAddr); absent when it picked none. */
  upstream?: string;
  /** The pod the upstream named in its response header (the sample app's X-Drainspec-Pod). */
  podHeader?: string;
  /**
   * The status is the proxy's own: no upstream answer reached it — nothing routed (404), no endpoint (503), the
   * upstream refused, reset or closed (502), timed out (504), or the client left first (499).
   */
  proxyGenerated: boolean;
  router?: string;
  method?: string;
  path?: string;
}

/** Statuses Traefik writes itself when forwarding fails (pkg/proxy/httputil/proxy.go ComputeStatusCode). */
const FORWARDING_ERROR_STATUSES = new Set([499, 500, 502, 504]);
/** The app's response header naming its pod (the sample app's); the command line keeps it in the log. */
export const ACCESS_LOG_POD_HEADER = 'X-Drainspec-Pod';
const POD_HEADER_FIELD = `origin_${ACCESS_LOG_POD_HEADER}`;

/** Parses one log line; undefined for anything that is not an access log entry (Traefik's own log lines, noise). */
export function parseAccessLogLine(line: string): ProxyAccess | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const status = entry.DownstreamStatus;
  const atMs = typeof entry.StartUTC === 'string' ? parseTimeMs(entry.StartUTC) : undefined;
  if (typeof status !== 'number' || atMs === undefined) return undefined;

  const upstream = stringField(entry.ServiceAddr) ?? hostOf(stringField(entry.ServiceURL));
  const origin = typeof entry.OriginStatus === 'number' && entry.OriginStatus > 0 ? entry.OriginStatus : undefined;
  const hasOriginHeaders = Object.keys(entry).some((key) => key.startsWith('origin_'));
  // An upstream answered if its headers came back, or if it was picked and the status is not one Traefik makes itself.
  const upstreamAnswered = hasOriginHeaders || (upstream !== undefined && origin !== undefined && !FORWARDING_ERROR_STATUSES.has(origin));
  return {
    atMs,
    durationMs: typeof entry.Duration === 'number' ? entry.Duration / 1e6 : 0,
    status,
    ...(upstreamAnswered && origin !== undefined ? { originStatus: origin } : {}),
    ...(upstream !== undefined ? { upstream } : {}),
    ...optional('podHeader', stringField(entry[POD_HEADER_FIELD])),
    proxyGenerated: !upstreamAnswered,
    ...optional('router', stringField(entry.RouterName)),
    ...optional('method', stringField(entry.RequestMethod)),
    ...optional('path', stringField(entry.RequestPath)),
  };
}

/** RFC 3339 with up to nanoseconds (Go's time.Time in JSON) → ms since the epoch, keeping the sub-millisecond part. */
export function parseTimeMs(text: string): number | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return undefined;
  const [, seconds, fraction = '', zone] = match;
  const wholeMs = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(wholeMs)) return undefined;
  return wholeMs + Number(`0.${fraction || '0'}`) * 1000;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
