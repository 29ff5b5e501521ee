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

describe('concurrent stages', () => {
  test('plain mode: each stage\'s details are named and throttled on their own, whichever started last', () => {
    let clock = 0;
    const { out, text } = capture();
    const progress = createProgress({ out, plainIntervalMs: 10_000, now: () => clock });
    const endA = progress.stage('a (1/2)');
    const endB = progress.stage('b (2/2)');
    clock = 10_000;
    progress.update('a at 10s', 'a (1/2)');
    progress.update('b at 10s', 'b (2/2)');
    clock = 11_000;
    progress.update('a throttled', 'a (1/2)');
    endA('failed');
    progress.update('b throttled', 'b (2/2)');
    clock = 21_000;
    progress.update('b at 21s', 'b (2/2)');
    endB();
    expect(text()).toBe([
      '▶ a (1/2)', '▶ b (2/2)', '  a (1/2) 10s: a at 10s', '  b (2/2) 10s: b at 10s', '✖ a (1/2) (11s)', '  b (2/2) 21s: b at 21s', '✔ b (2/2) (21s)', '',
    ].join('\n'));
  });

  test('live mode: one line shows every running stage\'s latest detail, cut to the terminal width', () => {
    const { out, text } = capture();
    Object.assign(out, { isTTY: true, columns: 60 });
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const progress = createProgress({ out, plainIntervalMs: 10_000, now: () => 0 });
      progress.stage('a');
      const endB = progress.stage('b');
      progress.update('one', 'a');
      progress.update('two', 'b');
      expect(text().split('\r\x1b[2K').at(-1)).toBe('  2 running · a 0s: one · b 0s: two');
      progress.update('x'.repeat(100), 'b');
      expect(text().split('\r\x1b[2K').at(-1)).toHaveLength(59);
      endB();
      expect(text().split('\r\x1b[2K').at(-1)).toBe('  a 0s: one');
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });
});
