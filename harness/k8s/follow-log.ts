// Follows one container's log over the API with node:https, so that stopping it (or the stream breaking) is
// an ordinary, handled event — client-node's Log leaves an unhandled AbortError behind when aborted.
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface LogFollower {
  stop(): void;
}

/** Calls `onLine` for each complete line; `onEnd` once when the stream ends or fails (not after stop()). */
export async function followLog(config: KubeConfig, namespace: string, pod: string, container: string, onLine: (line: string) => void, onEnd: (error?: Error) => void): Promise<LogFollower> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig context ${config.getCurrentContext()} has no cluster`);
  const url = new URL(`${cluster.server}/api/v1/namespaces/${namespace}/pods/${pod}/log`);
  url.searchParams.set('container', container);
  url.searchParams.set('follow', 'true');
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  let stopped = false;
  let ended = false;
  const end = (error?: Error) => {
    if (stopped || ended) return;
    ended = true;
    onEnd(error);
  };
  const request: ClientRequest = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { ...options, method: 'GET' }, (response) => {
    if (response.statusCode !== 200) {
      response.resume();
      end(new Error(`log of ${pod}: HTTP ${response.statusCode}`));
      return;
    }
    let buffered = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    response.on('end', () => end());
    response.on('error', (error) => end(error));
  });
  request.on('error', (error) => end(error));
  request.end();
  return {
    stop() {
      stopped = true;
      request.destroy();
    },
  };
}
