// Where the load may send. From the host: 127.0.0.1 only. From the in-cluster agent (harness/agents/), which names
// its own namespace (read from the downward API): a Service of that namespace by cluster DNS name, and nothing else.
import { lookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `<service>.<namespace>.svc` or `<service>.<namespace>.svc.cluster.local`, for exactly `namespace`. */
export function isOwnNamespaceService(hostname: string, namespace: string): boolean {
  const [service, ns, svc, ...domain] = hostname.toLowerCase().split('.');
  return service !== undefined && DNS_LABEL.test(service) && ns === namespace && svc === 'svc'
    && (domain.length === 0 || domain.join('.') === 'cluster.local');
}

/** `<service>.<namespace>.svc[.cluster.local]` of any namespace. */
export function isServiceName(hostname: string): boolean {
  const [service, ns] = hostname.toLowerCase().split('.');
  return ns !== undefined && DNS_LABEL.test(ns) && isOwnNamespaceService(hostname, ns) && service !== undefined;
}

/**
 * Throws one line unless `baseUrl` is plain http to a target this caller may load: 127.0.0.1, or — only when
 * `inClusterNamespace` is given, and then only — a Service of that namespace by cluster DNS name, or the one
 * ingress controller Service the run was told to go through (`ingressService`, a cluster DNS name, never an address).
 */
export function checkLoadTarget(baseUrl: string, inClusterNamespace?: string, ingressService?: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`baseUrl "${baseUrl}" is not a URL: use http://127.0.0.1:<port>`);
  }
  if (inClusterNamespace === undefined) {
    if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') throw new Error(`baseUrl ${baseUrl} must be http://127.0.0.1:<port>: load targets loopback only`);
    return url;
  }
  if (!DNS_LABEL.test(inClusterNamespace)) throw new Error(`inClusterNamespace "${inClusterNamespace}" is not a namespace name`);
  const ingressController = ingressService !== undefined && isServiceName(ingressService) && url.hostname.toLowerCase() === ingressService.toLowerCase();
  if (url.protocol !== 'http:' || !(isOwnNamespaceService(url.hostname, inClusterNamespace) || ingressController)) {
    throw new Error(`baseUrl ${baseUrl} must be http://<service>.${inClusterNamespace}.svc.cluster.local:<port>: an in-cluster agent loads only its own namespace's Services`);
  }
  return url;
}

/**
 * A net.connect `lookup` that asks DNS once and reuses the answer: a Service's ClusterIP is fixed for its life, and
 * a DNS hiccup mid-run (CoreDNS on a drained node) must not show up as the app's failed requests.
 */
export function lookupOnce(): LookupFunction {
  let known: LookupAddress[] | undefined;
  return (hostname, options, callback) => {
    const answer = (addresses: LookupAddress[]) => {
      const first = addresses[0] as LookupAddress;
      if (options.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    };
    if (known) return answer(known);
    lookup(hostname, { family: options.family ?? 0, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      known = addresses;
      answer(addresses);
    });
  };
}
