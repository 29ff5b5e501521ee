import { describe, expect, test } from 'vitest';
import { DEFAULT_MATRIX } from '../scenarios/catalogue.ts';
import { runsAlone, runScheduled } from './run-matrix.ts';

interface Task { name: string; ms: number; alone?: boolean; fails?: boolean }

/** Runs tasks on timers and records how many ran at once, and with whom. */
function recorder() {
  const running = new Set<string>();
  let most = 0;
  const beside = new Map<string, string[]>();
  const finished: string[] = [];
  const run = async (t: Task): Promise<string> => {
    running.add(t.name);
    most = Math.max(most, running.size);
    for (const other of running) beside.set(other, [...new Set([...(beside.get(other) ?? []), ...[...running].filter((n) => n !== other)])]);
    await new Promise((resolve) => setTimeout(resolve, t.ms));
    running.delete(t.name);
    finished.push(t.name);
    if (t.fails) throw new Error(`${t.name} aborted`);
    return `report ${t.name}`;
  };
  return { run, most: () => most, beside, finished, running };
}

describe('scenarios at once', () => {
  test('up to N run at once and the reports come back in the planned order, whatever order they end in', async () => {
    const r = recorder();
    const tasks: Task[] = [{ name: 'a', ms: 60 }, { name: 'b', ms: 10 }, { name: 'c', ms: 30 }, { name: 'd', ms: 5 }, { name: 'e', ms: 5 }];
    expect(await runScheduled(tasks, 3, (t) => t.alone === true, r.run)).toEqual(['report a', 'report b', 'report c', 'report d', 'report e']);
    expect(r.most()).toBe(3);
    expect(r.finished[0]).toBe('b');
  });

  test('a scenario that must run alone goes first, nothing starts beside it, and the others then run at once', async () => {
    const r = recorder();
    const tasks: Task[] = [{ name: 'a', ms: 30 }, { name: 'b', ms: 10 }, { name: 'drain', ms: 30, alone: true }, { name: 'c', ms: 10 }, { name: 'd', ms: 10 }];
    expect(await runScheduled(tasks, 4, (t) => t.alone === true, r.run)).toEqual(['report a', 'report b', 'report drain', 'report c', 'report d']);
    expect(r.beside.get('drain') ?? []).toEqual([]);
    expect(r.finished[0]).toBe('drain');
    expect(r.beside.get('c')?.sort()).toEqual(['a', 'b', 'd']);
  });

  test('at parallel 1 a lone scenario keeps its place in the plan', async () => {
    const r = recorder();
    await runScheduled([{ name: 'a', ms: 5 }, { name: 'drain', ms: 5, alone: true }, { name: 'b', ms: 5 }], 1, (t) => t.alone === true, r.run);
    expect(r.finished).toEqual(['a', 'drain', 'b']);
  });

  test('parallel 1 runs one after another, in order', async () => {
    const r = recorder();
    await runScheduled([{ name: 'a', ms: 20 }, { name: 'b', ms: 1 }, { name: 'c', ms: 5 }], 1, () => false, r.run);
    expect({ most: r.most(), finished: r.finished }).toEqual({ most: 1, finished: ['a', 'b', 'c'] });
  });

  test('a rejection (the run was stopped) starts nothing more, waits for the running ones, and is rethrown', async () => {
    const r = recorder();
    const tasks: Task[] = [{ name: 'a', ms: 5, fails: true }, { name: 'b', ms: 40 }, { name: 'c', ms: 5 }, { name: 'd', ms: 5 }];
    await expect(runScheduled(tasks, 2, () => false, r.run)).rejects.toThrow('a aborted');
    expect(r.running.size).toBe(0);
    expect(r.finished.sort()).toEqual(['a', 'b']);
  });

  test('in the default matrix only the node drain (it cordons a node every scenario shares) runs alone', () => {
    expect(DEFAULT_MATRIX.filter(runsAlone).map((s) => s.id)).toEqual(['graceful/node-drain/keepalive']);
  });
});
