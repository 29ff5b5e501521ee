import { expect, test } from 'vitest';
import { createLifecycleLog } from './lifecycle-log.ts';

test('each event is one JSON line with a wall-clock timestamp and the pod', () => {
  const lines: string[] = [];
  const log = createLifecycleLog('web-1', (line) => lines.push(line), () => 1_700_000_000_123);
  log('sigterm');
  log('exit', { code: 0 });
  expect(lines).toEqual(['{"event":"sigterm","atMs":1700000000123,"pod":"web-1"}\n', '{"event":"exit","atMs":1700000000123,"pod":"web-1","code":0}\n']);
});
