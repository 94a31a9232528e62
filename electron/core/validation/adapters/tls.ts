import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { badInput } from '../../errors';
import type { ServerTarget } from './target-url';

/** What TLS a connection needs: require encrypts without checking the certificate; verify-ca checks the chain;
 * verify-full checks the chain and the host name. */
export interface TlsSettings {
  mode: 'require' | 'verify-ca' | 'verify-full';
  ca: string | undefined;
}

export function tlsSettings(t: ServerTarget): TlsSettings | undefined {
  if (t.tls === 'off') return undefined;
  let ca: string | undefined;
  if (t.caFile) {
    try {
      ca = readFileSync(t.caFile, 'utf8');
    } catch (e) {
      throw badInput(`The CA file ${t.caFile} named in the database URL cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
  }
  // As libpq does: a CA given with 'require' means the chain is verified.
  return { mode: t.tls === 'require' && ca ? 'verify-ca' : t.tls, ca };
}

/** node-postgres passes these to tls.connect. */
export function pgSsl(t: ServerTarget): ConnectionOptions | undefined {
  const s = tlsSettings(t);
  if (!s) return undefined;
  if (s.mode === 'require') return { rejectUnauthorized: false };
  const base: ConnectionOptions = { rejectUnauthorized: true, ...(s.ca ? { ca: s.ca } : {}), ...(isIP(t.host) ? {} : { servername: t.host }) };
  return s.mode === 'verify-ca' ? { ...base, checkServerIdentity: () => undefined } : base;
}

/** mysql2 checks the host name only when verifyIdentity is set. */
export function mysqlSsl(t: ServerTarget): { rejectUnauthorized: boolean; verifyIdentity?: boolean; ca?: string } | undefined {
  const s = tlsSettings(t);
  if (!s) return undefined;
  if (s.mode === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, verifyIdentity: s.mode === 'verify-full', ...(s.ca ? { ca: s.ca } : {}) };
}
