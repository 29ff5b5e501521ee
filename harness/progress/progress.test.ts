import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createProgress, formatElapsed } from './progress.ts';

function capture() {
  const chunks: string[] = [];
  const out = new Writable({ write: (chunk, _enc, done) => { chunks.push(String(chunk)); done(); } });
  return { out, text: () => chunks.join('') };
}

describe('progress', () => {
  test('elapsed time is short and readable', () => {
    expect(formatElapsed(4_400)).toBe('4s');
    expect(formatElapsed(125_000)).toBe('2m05s');
  });

  test('plain mode names the stage, throttles details and prints the elapsed time at the end', () => {
    let clock = 0;
    const { out, text } = capture();
    const progress = createProgress({ out, plainIntervalMs: 10_000, now: () => clock });
    const done = progress.stage('build node image');
    clock = 10_000;
    progress.update('step 1');
    clock = 12_000;
    progress.update('step 2 (throttled)');
    clock = 65_000;
    done();
    expect(text()).toBe('▶ build node image\n  build node image 10s: step 1\n✔ build node image (1m05s)\n');
  });
});
