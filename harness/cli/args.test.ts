import { describe, expect, test } from 'vitest';
import { UsageError, parseCommand } from './args.ts';

describe('command line', () => {
  test('no arguments or --help show help', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['run', '--help'])).toEqual({ name: 'help', topic: 'run' });
    expect(parseCommand(['cluster', 'up', '-h'])).toEqual({ name: 'help', topic: 'cluster' });
    expect(parseCommand(['list', '--help'])).toEqual({ name: 'help', topic: 'list' });
    expect(parseCommand(['deploy', '--help'])).toEqual({ name: 'help' });
  });
  test('--version and list', () => {
    expect(parseCommand(['--version'])).toEqual({ name: 'version' });
    expect(parseCommand(['run', '--version'])).toEqual({ name: 'version' });
    const list = parseCommand(['list', '--scenario', 'graceful/**', '--config', 'x.mjs']);
    expect(list).toMatchObject({ name: 'list', configPath: 'x.mjs', layer: { scenarios: ['graceful/**'] } });
    expect(() => parseCommand(['list', 'all'])).toThrow('unexpected argument "all" after list');
  });
  test('run flags become a config layer', () => {
    const command = parseCommand(['run', '--report', 'out', '--scenario', 'graceful/**,close-only/*/*', '--repeat', '3', '--keep-cluster']);
    expect(command.name).toBe('run');
    if (command.name !== 'run') return;
    expect(command.layer.reportDir).toBe('out');
    expect(command.layer.scenarios).toEqual(['graceful/**', 'close-only/*/*']);
    expect(command.layer.repeat).toBe(3);
    expect(command.layer.cluster?.keep).toBe(true);
    expect(parseCommand(['run', '--parallel', '4'])).toMatchObject({ layer: { parallel: 4 } });
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
    expect(() => parseCommand(['run', '--rate', '-5'])).toThrow(new UsageError('--rate expects a positive value, got "-5"'));
    expect(() => parseCommand(['run', '--rate'])).toThrow(new UsageError('--rate needs a value (see drainspec --help)'));
    expect(() => parseCommand(['run', '--rate', '--repeat', '2'])).toThrow(new UsageError('--rate needs a value, but is followed by --repeat (see drainspec --help)'));
    expect(() => parseCommand(['run', '--rat', '5'])).toThrow(new UsageError('unknown flag --rat: did you mean --rate? (see drainspec --help)'));
    expect(() => parseCommand(['run', '--keep-cluster=yes'])).toThrow(new UsageError('--keep-cluster is a switch and takes no value: drop "=yes"'));
  });
});
