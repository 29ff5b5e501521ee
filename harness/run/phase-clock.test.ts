import { describe, expect, it } from 'vitest';
import { startPhaseClock } from './phase-clock.ts';

describe('phase clock', () => {
  it('gives each phase the time until the next one starts, and adds up a phase entered twice', () => {
    let now = 1_000;
    const clock = startPhaseClock(() => now);
    clock.enter('deploy');
    now += 4_000;
    clock.enter('rollout');
    now += 10_000;
    clock.enter('deploy');
    now += 500;
    expect(clock.stop()).toEqual({ deploy: 4_500, rollout: 10_000 });
    now += 9_999;
    expect(clock.stop()).toEqual({ deploy: 4_500, rollout: 10_000 });
  });
});
