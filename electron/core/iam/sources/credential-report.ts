/**
 * The IAM credential report: `aws iam get-credential-report` (JSON whose Content is the CSV, base64 as the API sends
 * it or already decoded) or the CSV itself. Columns are read by name, so reports with more columns still parse.
 */
import { badInput } from '../../errors';

export interface CredentialRow {
  user: string;
  arn: string;
  createdAt: string | null;
  passwordEnabled: boolean | null;
  passwordLastUsed: string | null;
  mfaActive: boolean | null;
  accessKeys: Array<{ slot: 1 | 2; active: boolean; lastRotated: string | null; lastUsed: string | null; lastUsedService: string | null }>;
}

const HEADER = /^user,arn(,|\r?\n|$)/;

/** "N/A", "no_information" and "not_supported" say there is no value; the report writes them instead of leaving a cell empty. */
const value = (v: string | undefined): string | null => (v === undefined || v === '' || /^(N\/A|no_information|not_supported)$/.test(v) ? null : v);
const flag = (v: string | undefined): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);

/** The CSV text of a credential report file, or null when the text is not one. */
export function credentialReportText(text: string): { csv: string; generatedAt: string | null } | null {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (HEADER.test(trimmed)) return { csv: trimmed, generatedAt: null };
  if (!trimmed.startsWith('{')) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const o = doc as { Content?: unknown; GeneratedTime?: unknown };
  if (typeof o.Content !== 'string') return null;
  const generatedAt = typeof o.GeneratedTime === 'string' ? o.GeneratedTime : null;
  if (HEADER.test(o.Content)) return { csv: o.Content, generatedAt };
  const decoded = Buffer.from(o.Content, 'base64').toString('utf8');
  return HEADER.test(decoded) ? { csv: decoded, generatedAt } : null;
}

export function parseCredentialReport(csv: string, where: string): CredentialRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',');
  const col = (name: string) => header.indexOf(name);
  for (const needed of ['user', 'arn']) if (col(needed) < 0) throw badInput(`${where}: the credential report has no "${needed}" column.`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw badInput(`${where}:${i + 2}: the credential report row has ${cells.length} cells, the header ${header.length}.`);
    const get = (name: string) => (col(name) >= 0 ? cells[col(name)] : undefined);
    const key = (slot: 1 | 2) => ({
      slot,
      active: get(`access_key_${slot}_active`) === 'true',
      lastRotated: value(get(`access_key_${slot}_last_rotated`)),
      lastUsed: value(get(`access_key_${slot}_last_used_date`)),
      lastUsedService: value(get(`access_key_${slot}_last_used_service`)),
    });
    return {
      user: get('user') ?? '',
      arn: get('arn') ?? '',
      createdAt: value(get('user_creation_time')),
      passwordEnabled: flag(get('password_enabled')),
      passwordLastUsed: value(get('password_last_used')),
      mfaActive: flag(get('mfa_active')),
      accessKeys: [key(1), key(2)],
    };
  });
}
