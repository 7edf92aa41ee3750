import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface LocalTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * ensureLocalTls makes (once) a local CA and a server certificate for
 * 127.0.0.1 and localhost signed by it, kept in `dir`. kubectl sends bearer
 * tokens only over TLS, and it trusts the CA through the kubeconfig.
 */
export async function ensureLocalTls(dir: string): Promise<LocalTls> {
  const caCert = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  if ([caCert, caKey, cert, key].every(existsSync)) {
    return { caPem: readFileSync(caCert, 'utf8'), certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  }
  mkdirSync(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 825 * 24 * 3600 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Rollway local CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  writeFileSync(caCert, ca.cert);
  writeFileSync(caKey, ca.private, { mode: 0o600 });
  writeFileSync(cert, server.cert);
  writeFileSync(key, server.private, { mode: 0o600 });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
