import { describe, expect, test } from 'vitest';
import { parseLddOutput } from './ldd.ts';

const NODE_LDD = `	linux-vdso.so.1 (0x00007fe2b6f04000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fe2b6eee000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fe2b6c00000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fe2b693e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007fe2b6f06000)
`;

describe('ldd output', () => {
  test('lists resolved libraries and the loader, not the vDSO', () => {
    expect(parseLddOutput(NODE_LDD)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  test('a missing library is an error naming it', () => {
    expect(() => parseLddOutput('\tlibfoo.so.1 => not found\n')).toThrow(/libfoo\.so\.1/);
  });
});
