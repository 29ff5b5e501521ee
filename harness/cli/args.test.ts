import { describe, expect, test } from 'vitest';
import { UsageError, parseCommand } from './args.ts';

describe('command line', () => {
  test('no arguments or --help show help', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['run', '--help'])).toEqual({ name: 'help' });
  });
  test('run flags become a config layer', () => {
    const command = parseCommand(['run', '--report', 'out', '--scenario', 'graceful/**,close-only/*/*', '--repeat', '3', '--keep-cluster']);
    expect(command.name).toBe('run');
    if (command.name !== 'run') return;
    expect(command.layer.reportDir).toBe('out');
    expect(command.layer.scenarios).toEqual(['graceful/**', 'close-only/*/*']);
    expect(command.layer.repeat).toBe(3);
    expect(command.layer.cluster?.keep).toBe(true);
  });
  test('cluster needs up or down', () => {
    expect(parseCommand(['cluster', 'down'])).toMatchObject({ name: 'cluster', action: 'down' });
    expect(() => parseCommand(['cluster', 'sideways'])).toThrow(/cluster up\|down/);
  });
  test('bad input is a usage error naming the flag', () => {
    expect(() => parseCommand(['run', '--repeat', 'many'])).toThrow(new UsageError('--repeat expects a whole number, got "many"'));
    expect(() => parseCommand(['run', '--provider', 'eks'])).toThrow(/--provider must be kind or existing/);
    expect(() => parseCommand(['run', '--bogus'])).toThrow(/bogus.*drainspec --help/);
    expect(() => parseCommand(['deploy'])).toThrow(/unknown command "deploy"/);
    expect(() => parseCommand(['run', '--rate', '-5'])).toThrow(new UsageError('--rate expects a positive value, not one starting with "-"'));
  });
});
