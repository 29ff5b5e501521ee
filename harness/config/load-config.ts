// Resolves the effective config: defaults < drainspec.config.ts < DRAINSPEC_* env < flags.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DrainspecConfig } from './defaults.ts';
import { mergeConfig, type UserConfig } from './define-config.ts';
import { validateConfig } from './validate.ts';

const DEFAULT_CONFIG_FILE = 'drainspec.config.ts';

/** Env var → config layer; each option has one, documented in README.md. */
export function envLayer(env: NodeJS.ProcessEnv): UserConfig {
  const int = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
  const bool = (name: string) => (env[name] === undefined ? undefined : env[name] === '1' || env[name] === 'true');
  const provider = env.DRAINSPEC_PROVIDER as DrainspecConfig['provider'] | undefined;
  return {
    provider,
    cluster: { name: env.DRAINSPEC_CLUSTER_NAME, nodeImage: env.DRAINSPEC_NODE_IMAGE, keep: bool('DRAINSPEC_KEEP_CLUSTER'), rebuild: bool('DRAINSPEC_REBUILD') },
    existing: { kubeconfig: env.DRAINSPEC_KUBECONFIG, context: env.DRAINSPEC_CONTEXT },
    app: { image: env.DRAINSPEC_APP_IMAGE, manifests: env.DRAINSPEC_MANIFESTS, sampleImage: env.DRAINSPEC_SAMPLE_IMAGE, port: int('DRAINSPEC_APP_PORT') },
    scenarios: env.DRAINSPEC_SCENARIOS?.split(',').filter(Boolean),
    clients: env.DRAINSPEC_CLIENTS as DrainspecConfig['clients'] | undefined,
    repeat: int('DRAINSPEC_REPEAT'),
    reportDir: env.DRAINSPEC_REPORT_DIR,
  };
}

async function fileLayer(configPath: string | undefined, cwd: string): Promise<UserConfig> {
  const path = resolve(cwd, configPath ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (configPath) throw new Error(`config file ${path} not found: check --config`);
    return {};
  }
  const loaded = (await import(pathToFileURL(path).href)) as { default?: UserConfig };
  if (!loaded.default) throw new Error(`${path} has no default export: use export default defineConfig({...})`);
  return loaded.default;
}

export async function loadConfig(flags: UserConfig, configPath?: string, cwd = process.cwd(), env = process.env): Promise<DrainspecConfig> {
  const config = mergeConfig(await fileLayer(configPath, cwd), envLayer(env), flags);
  validateConfig(config);
  return config;
}
