// Shared libraries of a dynamically linked binary, from `ldd` output (for the FROM-scratch Node base).

/** Absolute paths `ldd` resolved, the dynamic loader included; the vDSO (no file) is skipped. */
export function parseLddOutput(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.includes('not found')) throw new Error(`ldd: a shared library is missing on this host: ${trimmed}`);
    const resolved = /=>\s+(\/\S+)/.exec(trimmed) ?? /^(\/\S+)\s+\(0x/.exec(trimmed);
    if (resolved?.[1]) paths.push(resolved[1]);
  }
  return [...new Set(paths)];
}
