// Content-keyed build cache: an entry is complete only once its marker exists, so an interrupted build
// never looks finished and is simply redone (or resumed by the builder) next time.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const COMPLETE_MARKER = '.complete';

/** Root of every drainspec cache; `DRAINSPEC_CACHE_DIR` overrides. */
export function cacheRoot(): string {
  return process.env.DRAINSPEC_CACHE_DIR ?? join(homedir(), '.cache', 'drainspec');
}

/** Stable short hash of pins and recipe contents (files are hashed by content, not path). */
export function contentKey(parts: ReadonlyArray<string | { file: string }>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? `s:${part}` : `f:${readFileSync(part.file, 'utf8')}`);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CacheEntry {
  dir: string;
  key: string;
  isComplete(): boolean;
  /** Marks the entry complete; call only after every artifact is in place. */
  markComplete(): void;
  /** Removes the entry (used by `--rebuild`). */
  discard(): void;
}

/** Returns the entry `<root>/<namespace>/<key>`, creating its directory. */
export function cacheEntry(namespace: string, key: string): CacheEntry {
  const dir = join(cacheRoot(), namespace, key);
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, COMPLETE_MARKER);
  return {
    dir,
    key,
    isComplete: () => existsSync(marker),
    markComplete: () => writeFileSync(marker, `${new Date().toISOString()}\n`),
    discard: () => rmSync(dir, { recursive: true, force: true }),
  };
}
