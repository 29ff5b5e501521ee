// Resolves the effective config: defaults < drainspec.config.ts < DRAINSPEC_* env < flags. Every problem in any
// layer is one line naming the flag, the variable, or the file (and line) to fix.
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { shapeProblems } from './check-shape.ts';
import type { DrainspecConfig } from './defaults.ts';
import { mergeConfig, type UserConfig } from './define-config.ts';
import { optionLabel, recordOrigins, type Origin } from './options.ts';
import { ConfigError, validateConfig } from './validate.ts';

/** Looked for in the working directory, in this order; .ts needs a Node that strips types (22.18+, 23.6+). */
export const CONFIG_FILE_NAMES = ['drainspec.config.ts', 'drainspec.config.mts', 'drainspec.config.js', 'drainspec.config.mjs'] as const;

/** Env var → config layer, strictly parsed; each option has one, documented in README.md. */
export function readEnv(env: NodeJS.ProcessEnv): { layer: UserConfig; problems: string[] } {
  const problems: string[] = [];
  const int = (name: string) => {
    const value = env[name];
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value.trim())) {
      problems.push(`${name} must be a whole number, got "${value}"`);
      return undefined;
    }
    return Number(value);
  };
  const bool = (name: string) => {
    const value = env[name]?.trim().toLowerCase();
    if (value === undefined) return undefined;
    if (value === '1' || value === 'true') return true;
    if (value === '0' || value === 'false' || value === '') return false;
    problems.push(`${name} must be 1 or 0 (true or false), got "${env[name]}"`);
    return undefined;
  };
  const layer: UserConfig = {
    provider: env.DRAINSPEC_PROVIDER as DrainspecConfig['provider'] | undefined,
    cluster: { name: env.DRAINSPEC_CLUSTER_NAME, nodeImage: env.DRAINSPEC_NODE_IMAGE, keep: bool('DRAINSPEC_KEEP_CLUSTER'), rebuild: bool('DRAINSPEC_REBUILD') },
    existing: { kubeconfig: env.DRAINSPEC_KUBECONFIG, context: env.DRAINSPEC_CONTEXT },
    app: { image: env.DRAINSPEC_APP_IMAGE, manifests: env.DRAINSPEC_MANIFESTS, sampleImage: env.DRAINSPEC_SAMPLE_IMAGE, port: int('DRAINSPEC_APP_PORT') },
    scenarios: env.DRAINSPEC_SCENARIOS?.split(',').filter(Boolean),
    via: env.DRAINSPEC_VIA?.split(',').filter(Boolean) as DrainspecConfig['via'] | undefined,
    ingress: { className: env.DRAINSPEC_INGRESS_CLASS, host: env.DRAINSPEC_INGRESS_HOST, url: env.DRAINSPEC_INGRESS_URL },
    clients: env.DRAINSPEC_CLIENTS as DrainspecConfig['clients'] | undefined,
    load: { from: env.DRAINSPEC_LOAD_FROM as DrainspecConfig['load']['from'] | undefined, agents: int('DRAINSPEC_AGENTS'), agentImage: env.DRAINSPEC_AGENT_IMAGE },
    repeat: int('DRAINSPEC_REPEAT'),
    parallel: int('DRAINSPEC_PARALLEL'),
    reportDir: env.DRAINSPEC_REPORT_DIR,
  };
  return { layer, problems };
}

/** The env layer; a malformed value is a ConfigError naming the variable. */
export function envLayer(env: NodeJS.ProcessEnv): UserConfig {
  const { layer, problems } = readEnv(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return layer;
}

/** `file.ts:4: Expected ',', got 'ident'` from an import failure (syntax: the stack's first line; runtime: its frame). */
function loadProblem(shown: string, path: string, error: unknown): string {
  const e = error as { message?: string; stack?: string };
  const full = stripVTControlCharacters(e.message ?? String(error));
  // A bundler-style loader (vite, rolldown, esbuild) says "Transform failed with 1 error:" first, then the error
  // (`[PARSE_ERROR] …` or `ERROR: …`) and the place as a path relative to it (`../dir/file.ts:4:2`).
  const message = /(?:\[[A-Z_]+\]|ERROR:) (.*)/.exec(full)?.[1] ?? (full.split('\n')[0] as string);
  const text = `${full}\n${stripVTControlCharacters(e.stack ?? '')}`;
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const escaped = escape(path);
  const line = new RegExp(`^${escaped}:(\\d+)\\s*$`, 'm').exec(text)?.[1] ?? new RegExp(`${escaped}:(\\d+):\\d+`).exec(text)?.[1]
    ?? new RegExp(`${escape(basename(path))}:(\\d+):\\d+`).exec(text)?.[1];
  return `${shown}${line ? `:${line}` : ''}: ${message}`;
}

interface FileLayer {
  layer: UserConfig;
  /** As shown in messages (relative to the working directory when inside it). */
  shown: string;
}

/** The config file to load: the one given, else the one of CONFIG_FILE_NAMES present (two present is a mistake). */
function configFilePath(configPath: string | undefined, cwd: string): string | undefined {
  if (configPath) return resolve(cwd, configPath);
  const present = CONFIG_FILE_NAMES.filter((name) => existsSync(resolve(cwd, name)));
  if (present.length > 1) throw new ConfigError([`${present.join(' and ')} are both in ${cwd}: keep one, or choose with --config`]);
  return present[0] && resolve(cwd, present[0]);
}

async function fileLayer(configPath: string | false | undefined, cwd: string): Promise<FileLayer | undefined> {
  if (configPath === false) return undefined;
  const path = configFilePath(configPath, cwd);
  if (path === undefined) return undefined;
  const fromCwd = relative(cwd, path);
  const shown = fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
  if (!existsSync(path)) {
    if (configPath) throw new ConfigError([`config file ${path} not found: check --config`]);
    return undefined;
  }
  if (statSync(path).isDirectory()) throw new ConfigError([`config file ${path} is a directory: give --config a drainspec.config.ts file`]);
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[mc]?ts$/.test(path)) {
      throw new ConfigError([`${shown}: this Node (${process.versions.node}) does not strip TypeScript types (22.18 and later do, unless told not to): write the config as ${shown.replace(/\.[mc]?ts$/, '.mjs')}`]);
    }
    throw new ConfigError([loadProblem(shown, path, error)]);
  }
  if (loaded.default === undefined) throw new ConfigError([`${shown} has no default export: use export default defineConfig({...})`]);
  return { layer: loaded.default as UserConfig, shown };
}

const defined = (layer: unknown, key: string): boolean => {
  let value: unknown = layer;
  for (const part of key.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value !== undefined;
};

export async function loadConfig(flags: UserConfig, configPath?: string | false, cwd = process.cwd(), env = process.env): Promise<DrainspecConfig> {
  const file = await fileLayer(configPath, cwd);
  const fromEnv = readEnv(env);
  const problems = [
    ...(file ? shapeProblems(file.layer, (key) => optionLabel(key, { layer: 'file', path: file.shown }), file.shown) : []),
    ...fromEnv.problems,
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const config = mergeConfig(file?.layer ?? {}, fromEnv.layer, flags);
  recordOrigins(config, (key): Origin => (defined(flags, key) ? { layer: 'flag' } : defined(fromEnv.layer, key) ? { layer: 'env' }
    : file && defined(file.layer, key) ? { layer: 'file', path: file.shown } : { layer: 'default' }));
  validateConfig(config);
  return config;
}
