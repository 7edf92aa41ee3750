import { describe, expect, it } from 'vitest';
import { addressAllowed, classifyAddress } from './targets.js';

describe('notification target addresses', () => {
  it.each([
    { ip: '93.184.216.34', cls: 'public', aws: true, local: true },
    { ip: '127.0.0.1', cls: 'loopback', aws: false, local: true },
    { ip: '::1', cls: 'loopback', aws: false, local: true },
    { ip: '10.1.2.3', cls: 'private', aws: false, local: false },
    { ip: '172.16.0.1', cls: 'private', aws: false, local: false },
    { ip: '172.31.255.255', cls: 'private', aws: false, local: false },
    { ip: '172.32.0.1', cls: 'public', aws: true, local: true },
    { ip: '192.168.1.1', cls: 'private', aws: false, local: false },
    { ip: '169.254.169.254', cls: 'metadata', aws: false, local: false },
    { ip: '169.254.170.2', cls: 'metadata', aws: false, local: false },
    { ip: '169.254.1.1', cls: 'link-local', aws: false, local: false },
    { ip: 'fe80::1', cls: 'link-local', aws: false, local: false },
    { ip: 'fd00:ec2::254', cls: 'metadata', aws: false, local: false },
    { ip: 'fc00::1', cls: 'private', aws: false, local: false },
    { ip: 'fd12:3456::1', cls: 'private', aws: false, local: false },
    { ip: '::ffff:127.0.0.1', cls: 'loopback', aws: false, local: true },
    { ip: '::ffff:10.0.0.1', cls: 'private', aws: false, local: false },
    { ip: '0.0.0.0', cls: 'reserved', aws: false, local: false },
    { ip: '100.64.0.1', cls: 'reserved', aws: false, local: false },
    { ip: '2606:4700::1111', cls: 'public', aws: true, local: true },
  ])('$ip is $cls', ({ ip, cls, aws, local }) => {
    expect(classifyAddress(ip)).toBe(cls);
    expect(addressAllowed(ip, 'aws')).toBe(aws);
    expect(addressAllowed(ip, 'local')).toBe(local);
  });
});
