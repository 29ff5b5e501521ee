// Reads the capability bounding set to decide whether privileged containers need the runc shim.
import { readFileSync } from 'node:fs';

export const CAP_SYS_RESOURCE = 24;

/** Parses the CapBnd line of /proc/<pid>/status into a bigint mask. */
export function parseCapabilityBoundingSet(procStatus: string): bigint {
  const line = procStatus.split('\n').find((l) => l.startsWith('CapBnd:'));
  if (!line) throw new Error('no CapBnd line in /proc/self/status: cannot tell which capabilities this host grants');
  return BigInt(`0x${line.slice('CapBnd:'.length).trim()}`);
}

export function hasCapability(mask: bigint, capability: number): boolean {
  return ((mask >> BigInt(capability)) & 1n) === 1n;
}

/** True when privileged containers would fail with "unable to apply caps" on this host. */
export function hostLacksSysResource(procStatus = readFileSync('/proc/self/status', 'utf8')): boolean {
  return !hasCapability(parseCapabilityBoundingSet(procStatus), CAP_SYS_RESOURCE);
}
