/**
 * Notification targets are checked against SSRF: on AWS (runtime 'aws')
 * every address a host name resolves to must be public: loopback,
 * link-local (169.254/16, fe80::/10, which holds the instance metadata
 * service), private (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT,
 * unspecified, multicast and the metadata addresses are refused. The local
 * stack (runtime 'local') also allows loopback, so tests can receive.
 *
 * The check runs inside the socket's DNS lookup, so the address connected
 * to is the address checked (no rebinding between check and connect).
 */
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'reserved';

function v4Parts(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** classifyAddress says what kind of address an IPv4 or IPv6 literal is. */
export function classifyAddress(ip: string): AddressClass {
  let addr = ip.toLowerCase();
  if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (mapped) addr = mapped[1];
  if (isIP(addr) === 4) {
    const [a, b] = v4Parts(addr);
    if (addr === '169.254.169.254' || addr === '169.254.170.2') return 'metadata';
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 0 || (a === 100 && b >= 64 && b <= 127) || a >= 224 || (a === 192 && b === 0 && v4Parts(addr)[2] === 0) || (a === 198 && (b === 18 || b === 19))) return 'reserved';
    return 'public';
  }
  if (isIP(addr) === 6) {
    if (addr === '::1') return 'loopback';
    if (addr === '::' ) return 'reserved';
    if (addr === 'fd00:ec2::254') return 'metadata';
    const first = parseInt(addr.split(':')[0] || '0', 16);
    if ((first & 0xffc0) === 0xfe80) return 'link-local';
    if ((first & 0xfe00) === 0xfc00) return 'private';
    if ((first & 0xff00) === 0xff00) return 'reserved';
    if (addr.startsWith('::ffff:') || addr.startsWith('64:ff9b:')) return 'reserved';
    return 'public';
  }
  return 'reserved';
}

/** addressAllowed applies the runtime's rule to one address. */
export function addressAllowed(ip: string, runtime: 'aws' | 'local'): boolean {
  const c = classifyAddress(ip);
  return c === 'public' || (runtime === 'local' && c === 'loopback');
}

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/**
 * guardedLookup is a `lookup` for http(s).request that resolves every
 * address of the host and refuses the connection unless all are allowed.
 */
export function guardedLookup(runtime: 'aws' | 'local') {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as Array<{ address: string; family: number }>;
      const bad = list.find((a) => !addressAllowed(a.address, runtime));
      if (!list.length || bad) {
        return callback(new TargetRefusedError(`notification target ${hostname} resolves to a ${bad ? classifyAddress(bad.address) : 'missing'} address; refused`) as NodeJS.ErrnoException, '');
      }
      if (typeof options === 'object' && options?.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
