// The files an entry module needs at run time: its relative imports, followed (type-only imports are erased, so
// they are not), plus the packages it imports by name. Works on the .ts sources and on the compiled .js in dist/.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';

export interface ImportClosure {
  /** Absolute paths, the entry first, then sorted. */
  files: string[];
  /** Packages imported by name (not node: built-ins), sorted. */
  packages: string[];
}

const FROM = /^\s*(?:import|export)\s+(type\s+)?[^;'"]*?\s+from\s+['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a module's code loads at run time. */
export function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(FROM)) if (!match[1]) specifiers.push(match[2] as string);
  for (const match of source.matchAll(BARE)) specifiers.push(match[1] as string);
  for (const match of source.matchAll(DYNAMIC)) specifiers.push(match[1] as string);
  return specifiers;
}

const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const builtins = new Set(builtinModules);

export function importClosure(entry: string): ImportClosure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${file} is imported but missing: reinstall drainspec`);
    }
    for (const specifier of runtimeImports(source)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtins.has(specifier)) packages.add(packageName(specifier));
    }
  };
  visit(resolve(entry));
  const [first, ...rest] = [...files];
  return { files: [first as string, ...rest.sort()], packages: [...packages].sort() };
}
