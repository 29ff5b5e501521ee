// `drainspec.config.ts` helper: typed partial config merged over DEFAULT_CONFIG.
import { DEFAULT_CONFIG, type DrainspecConfig } from './defaults.ts';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type UserConfig = DeepPartial<DrainspecConfig>;

/** Identity with types, for `export default defineConfig({...})` in drainspec.config.ts. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Merges layers left to right over the defaults; arrays and scalars replace, objects merge. */
export function mergeConfig(...layers: UserConfig[]): DrainspecConfig {
  let merged: Record<string, unknown> = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  for (const layer of layers) merged = mergeObjects(merged, layer as Record<string, unknown>);
  return merged as unknown as DrainspecConfig;
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    if (!(key in base)) throw new Error(`unknown config key "${key}": see the config reference in README.md`);
    const current = base[key];
    const bothObjects = isPlainObject(current) && isPlainObject(value);
    out[key] = bothObjects ? mergeObjects(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
