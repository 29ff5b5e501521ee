// Checks one config layer (the file's default export, the env layer) against the shape of the defaults, before
// merging: a wrong type or an unknown key is a one-line problem naming where it was set, never a crash later
// (`patterns.map is not a function`).
import { DEFAULT_CONFIG } from './defaults.ts';

const describe = (value: unknown) => (typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value));

function expected(model: unknown): string {
  if (Array.isArray(model)) return 'a list of strings';
  if (typeof model === 'object' && model !== null) return 'an object';
  return `a ${typeof model}`;
}

function matches(model: unknown, value: unknown): boolean {
  if (Array.isArray(model)) return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (typeof model === 'object' && model !== null) return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (typeof model === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === typeof model;
}

/** Problems of `layer` against the defaults' shape; `label(key)` names a dotted key as the user set it. */
export function shapeProblems(layer: unknown, label: (key: string) => string, where: string): string[] {
  if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) return [`${where} must export an object (export default defineConfig({...})), got ${describe(layer)}`];
  const problems: string[] = [];
  const walk = (model: Record<string, unknown>, value: Record<string, unknown>, prefix: string) => {
    for (const [key, v] of Object.entries(value)) {
      const path = `${prefix}${key}`;
      if (!(key in model)) {
        problems.push(`unknown key "${path}" in ${where}: the keys here are ${Object.keys(model).map((k) => `${prefix}${k}`).join(', ')} (see README.md, Configuration)`);
        continue;
      }
      if (v === undefined) continue;
      const m = model[key];
      if (!matches(m, v)) problems.push(`${label(path)} must be ${expected(m)}, got ${describe(v)}`);
      else if (typeof m === 'object' && m !== null && !Array.isArray(m)) walk(m as Record<string, unknown>, v as Record<string, unknown>, `${path}.`);
    }
  };
  walk(DEFAULT_CONFIG as unknown as Record<string, unknown>, layer as Record<string, unknown>, '');
  return problems;
}
