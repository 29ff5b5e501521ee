import { describe, expect, test } from 'vitest';
import { CAP_SYS_RESOURCE, hasCapability, hostLacksSysResource, parseCapabilityBoundingSet } from './capabilities.ts';

const status = (capBnd: string) => `Name:\tx\nCapInh:\t0000000000000000\nCapBnd:\t${capBnd}\nCapAmb:\t0000000000000000\n`;

describe('capability bounding set', () => {
  test('a full set grants CAP_SYS_RESOURCE', () => {
    expect(hasCapability(parseCapabilityBoundingSet(status('000001ffffffffff')), CAP_SYS_RESOURCE)).toBe(true);
    expect(hostLacksSysResource(status('000001ffffffffff'))).toBe(false);
  });
  test('a set with bit 24 cleared lacks it', () => {
    expect(hostLacksSysResource(status('000001fffeffffff'))).toBe(true);
  });
  test('a status without CapBnd is an error naming the file', () => {
    expect(() => parseCapabilityBoundingSet('Name:\tx\n')).toThrow(/CapBnd/);
  });
});
