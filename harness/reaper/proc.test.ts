import { describe, expect, test } from 'vitest';
import { identityOf, isRunning, parseStat } from './proc.ts';

describe('parseStat', () => {
  test('reads ppid, state and start time after a command name holding spaces and parentheses', () => {
    const fields = ['S', '4242', ...Array.from({ length: 17 }, (_, i) => String(i)), '987654', '0'];
    expect(parseStat(7, `7 (npm exec (x) y) ${fields.join(' ')}`)).toEqual({ pid: 7, comm: 'npm exec (x) y', state: 'S', ppid: 4242, startTime: '987654' });
  });

  test('is undefined for text that is not a stat line', () => {
    expect(parseStat(7, 'garbage')).toBeUndefined();
  });
});

describe('isRunning', () => {
  test('this process runs; the same pid with another start time or boot is another process', () => {
    const me = identityOf(process.pid);
    expect(isRunning(me)).toBe(true);
    if (me.startTime) expect(isRunning({ ...me, startTime: `${me.startTime}1` })).toBe(false);
    if (me.bootId) expect(isRunning({ ...me, bootId: 'another-boot' })).toBe(false);
  });
});
