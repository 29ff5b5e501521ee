import { describe, expect, test } from 'vitest';
import { APP_VARIANTS } from '../model/run-data.ts';
import { DEFAULT_MATRIX, LOAD_PROFILES, TRIGGERS, selectScenarios } from './catalogue.ts';

describe('default scenario matrix', () => {
  test('has at least 12 scenarios with unique ids', () => {
    expect(DEFAULT_MATRIX.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEFAULT_MATRIX.map((s) => s.id)).size).toBe(DEFAULT_MATRIX.length);
  });
  test('covers every trigger, load profile and app variant', () => {
    expect(new Set(DEFAULT_MATRIX.map((s) => s.trigger))).toEqual(new Set(TRIGGERS));
    expect(new Set(DEFAULT_MATRIX.map((s) => s.load))).toEqual(new Set(LOAD_PROFILES));
    expect(new Set(DEFAULT_MATRIX.map((s) => s.app))).toEqual(new Set(APP_VARIANTS));
  });
  test('only graceful variants are expected to pass, every broken one is a negative control — except where a path absorbs its failure', () => {
    for (const s of DEFAULT_MATRIX) {
      if (s.app.startsWith('graceful') || s.expected.verdict === 'fail') continue;
      // A broken variant may pass through the ingress only when the same app and load fail through the Service.
      expect(s.via, s.id).toBe('ingress');
      const direct = DEFAULT_MATRIX.find((d) => d.via === 'service' && d.app === s.app && d.load === s.load);
      expect(direct?.expected.verdict, `${s.id}: the same app through the Service`).toBe('fail');
    }
  });
  test('ids name the path: through the ingress they end in @ingress, and each id is unique', () => {
    expect(new Set(DEFAULT_MATRIX.map((s) => s.id)).size).toBe(DEFAULT_MATRIX.length);
    for (const s of DEFAULT_MATRIX) expect(s.id.endsWith('@ingress'), s.id).toBe(s.via === 'ingress');
    expect(selectScenarios(DEFAULT_MATRIX, ['**@ingress']).map((s) => s.via)).toEqual(DEFAULT_MATRIX.filter((s) => s.via === 'ingress').map(() => 'ingress'));
  });
});

describe('scenario selection', () => {
  test('a segment glob selects by app', () => {
    const picked = selectScenarios(DEFAULT_MATRIX, ['close-only/*/*']);
    expect(picked.map((s) => s.id)).toEqual(['close-only/rollout-restart/keepalive']);
  });
  test('** selects across segments and no pattern selects all', () => {
    expect(selectScenarios(DEFAULT_MATRIX, ['**/keepalive']).every((s) => s.load === 'keepalive')).toBe(true);
    expect(selectScenarios(DEFAULT_MATRIX, [])).toHaveLength(DEFAULT_MATRIX.length);
  });
  test('a pattern that matches nothing is a one-line error listing the ids', () => {
    expect(() => selectScenarios(DEFAULT_MATRIX, ['nope/*'])).toThrow(/--scenario nope\/\* matches none of \(ids are app\/trigger\/load.*\): graceful\//);
  });
});
