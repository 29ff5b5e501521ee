// One bounded readiness probe, never part of the accounted load: a GET on a fresh connection (node:http, because
// fetch drops a Host header), its status or undefined when none came within 2 s.
import { request } from 'node:http';

const PROBE_TIMEOUT_MS = 2_000;

export function probeStatus(url: string, host: string | undefined): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { connection: 'close', ...(host ? { host } : {}) }, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
      response.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
