import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cacheEntry, contentKey } from './content-cache.ts';

describe('content cache', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'drainspec-cache-'));
    process.env.DRAINSPEC_CACHE_DIR = root;
  });
  afterEach(() => {
    delete process.env.DRAINSPEC_CACHE_DIR;
  });

  test('the key changes when a recipe file changes, not when it is read again', () => {
    const recipe = join(root, 'recipe.sh');
    writeFileSync(recipe, 'echo one');
    const first = contentKey(['v1.33.13', { file: recipe }]);
    expect(contentKey(['v1.33.13', { file: recipe }])).toBe(first);
    writeFileSync(recipe, 'echo two');
    expect(contentKey(['v1.33.13', { file: recipe }])).not.toBe(first);
    expect(contentKey(['v1.33.14', { file: recipe }])).not.toBe(contentKey(['v1.33.13', { file: recipe }]));
  });

  test('an entry is incomplete until marked, and discard forgets it', () => {
    const entry = cacheEntry('images', 'abc');
    expect(entry.dir.startsWith(root)).toBe(true);
    expect(entry.isComplete()).toBe(false);
    entry.markComplete();
    expect(cacheEntry('images', 'abc').isComplete()).toBe(true);
    entry.discard();
    expect(cacheEntry('images', 'abc').isComplete()).toBe(false);
  });
});
