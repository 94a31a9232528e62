/**
 * The signer list as an OpenSSH allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS), so that a reviewer checks a
 * sign-off with `ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n firebreak-signoff` and nothing else.
 *
 * Each line Firebreak writes is `PRINCIPAL namespaces="firebreak-signoff" KEYTYPE KEY firebreak-enrolment {JSON}`.
 * - The principal is a slug of the signer's name and role, `priya-shah@ciso`. ssh-keygen does read a quoted principal
 *   with spaces ("Priya Shah"), but treats commas as separators and `*`, `?` and a leading `!` as patterns, and has no
 *   escape for a quote: a display name can hold all of those, a slug none. The role is part of it so the stock tool
 *   also proves the key was enrolled for that role. Two signers whose slugs collide are refused when writing.
 * - ssh-keygen refuses unknown options, so the enrolment record (display name, role, fingerprint, who enrolled and
 *   when) rides after the key, where ssh-keygen ignores text as it ignores a .pub file's comment.
 * Lines other tools wrote are read too (their enrolment is null); options are parsed as ssh-keygen parses them.
 */
import { createHash } from 'node:crypto';
import { badInput } from '../errors';
import { SIGNOFF_NAMESPACE } from './sshsig';
import { type SshPublicKey, formatSshPublicKey, parseSshPublicKey, sameSshKey } from './ssh-public-key';

export interface SignerEnrolment {
  /** The signer's name as people write it, e.g. "Priya Shah". */
  name: string;
  role: string;
  /** Who enrolled the signer, and when (ISO 8601). */
  enrolledBy?: string;
  enrolledAt?: string;
}

export interface AllowedSigner {
  /** Principal patterns as written (comma-separated in the file). */
  principals: string[];
  /** The namespaces option, or null when the key may sign in any namespace. */
  namespaces: string[] | null;
  certAuthority: boolean;
  validAfter: string | null;
  validBefore: string | null;
  key: SshPublicKey;
  /** Firebreak's enrolment record from the line's comment; null on a line another tool wrote. */
  enrolment: SignerEnrolment | null;
  /** 1-based line number in the file. */
  line: number;
}

export interface AllowedSignerEntry {
  key: SshPublicKey;
  enrolment: SignerEnrolment;
  /** Defaults to signerPrincipal(name, role). */
  principal?: string;
}

const MARK = 'firebreak-enrolment';
/** What ssh-keygen would read as something other than one literal principal. */
const UNSAFE_PRINCIPAL = /[\s,*?!"]|^#|[\p{Cc}]/u;

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');

/**
 * The principal of a signer in a role: `priya-shah@ciso`. A name with no letters or digits at all gets a short
 * hash, so every name has a principal (the writer still refuses collisions).
 */
export function signerPrincipal(name: string, role: string): string {
  const part = (s: string, what: string) => {
    const t = s.trim();
    if (!t) throw badInput(`A signer needs a ${what}.`);
    return slug(t) || `x${createHash('sha256').update(t, 'utf8').digest('hex').slice(0, 8)}`;
  };
  return `${part(name, 'name')}@${part(role, 'role')}`;
}

/** OpenSSH's match_pattern_list: comma-separated patterns with `*` and `?`; a matching `!pattern` vetoes. */
export function matchPatternList(value: string, list: string): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    if (re.test(value)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** A leading field: a double-quoted run (no escapes, as OpenSSH's strdelimw) or up to the next blank. */
function field(text: string): { value: string; rest: string } | { error: string } {
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    if (close < 0) return { error: 'a quoted principal has no closing quote' };
    return { value: text.slice(1, close), rest: text.slice(close + 1).trimStart() };
  }
  const m = /^(\S+)\s*(.*)$/s.exec(text);
  return m ? { value: m[1] as string, rest: m[2] as string } : { error: 'nothing on the line' };
}

/** The options field up to its first unquoted blank, split on unquoted commas. */
function splitOptions(text: string): { options: string[]; rest: string } | { error: string } {
  const options: string[] = [];
  let current = '';
  let quoted = false;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) break;
    if (!quoted && c === ',') {
      options.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) return { error: 'an option value has no closing quote' };
  options.push(current);
  return { options, rest: text.slice(i).trimStart() };
}

const TIME = /^\d{8}(\d{4}(\d{2})?)?Z?$/;

function parseOptions(options: string[]): Pick<AllowedSigner, 'namespaces' | 'certAuthority' | 'validAfter' | 'validBefore'> {
  const out: Pick<AllowedSigner, 'namespaces' | 'certAuthority' | 'validAfter' | 'validBefore'> = { namespaces: null, certAuthority: false, validAfter: null, validBefore: null };
  for (const opt of options) {
    if (opt.toLowerCase() === 'cert-authority') {
      out.certAuthority = true;
      continue;
    }
    const m = /^([a-z-]+)="(.*)"$/is.exec(opt);
    const name = m?.[1]?.toLowerCase();
    const value = m?.[2] ?? '';
    if (name === 'namespaces') {
      if (out.namespaces) throw new Error('namespaces is given twice');
      out.namespaces = value.split(',');
    } else if (name === 'valid-after' || name === 'valid-before') {
      if (!TIME.test(value)) throw new Error(`${name} "${value}" is not YYYYMMDD[HHMM[SS]][Z]`);
      out[name === 'valid-after' ? 'validAfter' : 'validBefore'] = value;
    } else {
      throw new Error(`unknown option "${opt}" (ssh-keygen accepts cert-authority, namespaces, valid-after, valid-before)`);
    }
  }
  return out;
}

function parseEnrolment(comment: string, key: SshPublicKey): SignerEnrolment | null {
  if (!comment.startsWith(`${MARK} `)) return null;
  let record: unknown;
  try {
    record = JSON.parse(comment.slice(MARK.length + 1));
  } catch {
    throw new Error('its enrolment record is not valid JSON');
  }
  const r = (record ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const name = str('name');
  const role = str('role');
  if (!name?.trim() || !role?.trim()) throw new Error('its enrolment record lacks a name or role');
  if (r.fingerprint !== undefined && r.fingerprint !== key.fingerprint) {
    throw new Error(`its enrolment record names the fingerprint ${String(r.fingerprint)} but the key on the line is ${key.fingerprint}`);
  }
  const enrolledBy = str('enrolledBy');
  const enrolledAt = str('enrolledAt');
  return { name, role, ...(enrolledBy !== undefined && { enrolledBy }), ...(enrolledAt !== undefined && { enrolledAt }) };
}

/** Looks like a key type followed by base64 key data, rather than options. */
const startsWithKey = (text: string) => /^[a-z0-9-]+(@[a-z0-9.-]+)?\s+AAAA/.test(text);

function parseLine(text: string, line: number, where: string): AllowedSigner {
  const p = field(text);
  if ('error' in p) throw new Error(p.error);
  const principals = p.value.split(',');
  if (principals.some((x) => x === '')) throw new Error('a principal is empty');
  let rest = p.rest;
  if (!rest) throw new Error('it has no key');
  if (/^AAAA/.test(rest) && /^[a-z0-9-]+(@[a-z0-9.-]+)?$/.test(p.value)) throw new Error('it has no principal before its key');
  let opts = parseOptions([]);
  if (!startsWithKey(rest)) {
    const o = splitOptions(rest);
    if ('error' in o) throw new Error(o.error);
    opts = parseOptions(o.options);
    rest = o.rest;
  }
  if (!rest) throw new Error('it has no key');
  const key = parseSshPublicKey(rest, `${where}:${line}`);
  return { principals, ...opts, key, enrolment: parseEnrolment(key.comment, key), line };
}

/**
 * Reads an allowed_signers file. Blank and `#` lines are skipped; every other line must be a signer. All problems
 * are reported at once, each as `WHERE:LINE: what is wrong`.
 */
export function parseAllowedSigners(text: string, where = 'allowed_signers'): AllowedSigner[] {
  const signers: AllowedSigner[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    try {
      signers.push(parseLine(t, i + 1, where));
    } catch (e) {
      const msg = (e as Error).message;
      // Key errors already name WHERE:LINE.
      problems.push(msg.startsWith(`${where}:${i + 1}`) ? msg : `${where}:${i + 1}: ${msg}.`);
    }
  });
  if (problems.length === 1) throw badInput(problems[0] as string);
  if (problems.length > 1) throw badInput(`${where} has ${problems.length} lines that are not signers.`, problems);
  return signers;
}

const oneLine = (s: string, what: string): string => {
  const t = s.trim();
  if (!t) throw badInput(`A signer's ${what} is empty.`);
  if (/\p{Cc}/u.test(t)) throw badInput(`The ${what} "${t.replace(/\p{Cc}/gu, '?')}" contains control characters.`);
  return t;
};

/**
 * Writes the signer list: a header saying how to check a signature, then one line per entry, bound to the
 * firebreak-signoff namespace. Refuses two different signers (name and role) that would share a principal.
 */
export function formatAllowedSigners(entries: readonly AllowedSignerEntry[]): string {
  const owner = new Map<string, string>();
  const seen: { principal: string; key: SshPublicKey }[] = [];
  const lines = entries.map((e) => {
    const name = oneLine(e.enrolment.name, 'name');
    const role = oneLine(e.enrolment.role, 'role');
    const principal = e.principal ?? signerPrincipal(name, role);
    if (!principal || UNSAFE_PRINCIPAL.test(principal)) {
      throw badInput(`The principal "${principal}" for ${name} (${role}) would not be one literal principal to ssh-keygen: no blanks, commas, quotes, * ? or !.`);
    }
    const who = `${name}\n${role.toLowerCase()}`;
    const prior = owner.get(principal);
    if (prior !== undefined && prior !== who) {
      throw badInput(`${prior.split('\n')[0]} and ${name} would share the principal ${principal}; give one of them a distinct principal.`);
    }
    owner.set(principal, who);
    if (seen.some((s) => s.principal === principal && sameSshKey(s.key, e.key))) {
      throw badInput(`The key ${e.key.fingerprint} is listed twice for ${principal}.`);
    }
    seen.push({ principal, key: e.key });
    const record = {
      name,
      role,
      fingerprint: e.key.fingerprint,
      ...(e.enrolment.enrolledBy !== undefined && { enrolledBy: oneLine(e.enrolment.enrolledBy, 'enroller') }),
      ...(e.enrolment.enrolledAt !== undefined && { enrolledAt: oneLine(e.enrolment.enrolledAt, 'enrolment time') }),
    };
    return `${principal} namespaces="${SIGNOFF_NAMESPACE}" ${formatSshPublicKey(e.key, `${MARK} ${JSON.stringify(record)}`)}`;
  });
  const header = [
    '# Firebreak signers, in the OpenSSH allowed_signers format. Check a sign-off with:',
    `#   ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n ${SIGNOFF_NAMESPACE} -s REQUEST.sig < REQUEST`,
    '# Each line: principal (name@role), namespaces, key, then the enrolment record ssh-keygen ignores.',
  ];
  return `${[...header, ...lines].join('\n')}\n`;
}

/** A valid-after/valid-before value as ssh-keygen reads it: UTC with a trailing Z, local time without. */
function optionTime(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/.exec(value) as RegExpExecArray;
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1, 7).map((x) => x ?? '0') as string[];
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)] as const;
  return m[7] ? Date.UTC(...parts) : new Date(...parts).getTime();
}

/**
 * The lines that allow this key to sign in this namespace at the given time (ssh-keygen -Y find-principals, which
 * checks valid-after and valid-before against the present unless told a time). CA lines never match a plain key.
 */
export function findAllowedSigners(signers: readonly AllowedSigner[], key: SshPublicKey, namespace: string, at: Date = new Date()): AllowedSigner[] {
  const t = at.getTime();
  return signers.filter(
    (s) =>
      !s.certAuthority &&
      sameSshKey(s.key, key) &&
      (s.namespaces === null || matchPatternList(namespace, s.namespaces.join(','))) &&
      (s.validAfter === null || t >= optionTime(s.validAfter)) &&
      (s.validBefore === null || t <= optionTime(s.validBefore)),
  );
}
