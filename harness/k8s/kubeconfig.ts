// Loads a kubeconfig and selects ONE named context, turning every way that can fail into one line naming the
// file and the option to fix (client-node would say ENOENT, EISDIR or "No active cluster!").
import { KubeConfig, type Cluster } from '@kubernetes/client-node';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export interface KubeconfigSource {
  /** The file given (empty: $KUBECONFIG, else ~/.kube/config). */
  path: string;
  /** How the user names the file option in messages, e.g. `--kubeconfig` or `DRAINSPEC_KUBECONFIG`. */
  option: string;
  /** How the user names the context option, e.g. `--context`. */
  contextOption: string;
}

export interface SelectedContext {
  config: KubeConfig;
  cluster: Cluster;
}

export class KubeconfigError extends Error {}

function loadFile(config: KubeConfig, path: string, option: string): void {
  const file = resolve(path);
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new KubeconfigError(`kubeconfig ${file} is a directory, not a file: check ${option}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof KubeconfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new KubeconfigError(code === 'ENOENT' ? `kubeconfig ${file} not found: check ${option}` : `kubeconfig ${file} cannot be read (${code ?? (error as Error).message}): check ${option}`);
  }
  try {
    config.loadFromString(text);
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file} is not a valid kubeconfig: ${yamlReason(error)}`);
  }
  config.makePathsAbsolute(dirname(file));
}

/** js-yaml's "bad indentation of a mapping entry (3:5)" + a code excerpt → "line 3: bad indentation of a mapping entry". */
function yamlReason(error: unknown): string {
  const first = ((error as Error).message ?? String(error)).split('\n')[0] as string;
  const at = /^(.*) \((\d+):\d+\)$/.exec(first);
  return at ? `line ${at[2]}: ${at[1]}` : first;
}

function load(source: KubeconfigSource): KubeConfig {
  const config = new KubeConfig();
  if (source.path) {
    loadFile(config, source.path, source.option);
    return config;
  }
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) {
    loadFile(config, fromEnv[0] as string, 'KUBECONFIG');
    for (const file of fromEnv.slice(1)) {
      const more = new KubeConfig();
      loadFile(more, file, 'KUBECONFIG');
      config.mergeConfig(more);
    }
    return config;
  }
  const home = join(homedir(), '.kube', 'config');
  if (!existsSync(home)) throw new KubeconfigError(`no kubeconfig: ${home} does not exist and KUBECONFIG is unset: name a kubeconfig with ${source.option}`);
  loadFile(config, home, source.option);
  return config;
}

/** The kubeconfig with `context` made current, or a KubeconfigError naming what to fix. */
export function selectContext(context: string, source: KubeconfigSource): SelectedContext {
  const config = load(source);
  const where = source.path ? `kubeconfig ${resolve(source.path)}` : 'the kubeconfig';
  const entry = config.getContextObject(context);
  if (!entry) {
    const names = config.getContexts().map((c) => c.name).join(', ') || '(none)';
    throw new KubeconfigError(`kubeconfig context "${context}" not found in ${where}: pass ${source.contextOption} with one of ${names}`);
  }
  const cluster = entry.cluster ? config.getCluster(entry.cluster) : null;
  if (!cluster) throw new KubeconfigError(`context "${context}" names cluster "${entry.cluster ?? ''}", which ${where} does not define: add it or pass another ${source.contextOption}`);
  if (entry.user && !config.getUser(entry.user)) throw new KubeconfigError(`context "${context}" names user "${entry.user}", which ${where} does not define: add it or pass another ${source.contextOption}`);
  config.setCurrentContext(context);
  return { config, cluster };
}
