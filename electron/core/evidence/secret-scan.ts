import { createHash } from 'node:crypto';
import type { SecretFinding, SecretKind } from '../../shared/evidence';

interface Pattern {
  kind: SecretKind;
  label: string;
  re: RegExp;
  /** Capture group holding the secret (0: the whole match). */
  group: number;
  /** How many leading characters identify the type without giving the secret away. */
  keep: number;
}

/** The schemes of database connection URLs (also in their JDBC form); the look-behind keeps `xpostgres://` out. */
const DB_SCHEME = String.raw`(?<![A-Za-z0-9+.-])(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse):\/\/`;

// Every pattern is bounded in length (under OVERLAP), so a secret that straddles two chunks is found whole in the next.
const PATTERNS: readonly Pattern[] = [
  {
    kind: 'private-key',
    label: 'private key',
    re: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
    keep: 0,
  },
  {
    kind: 'aws-access-key-id',
    label: 'AWS access key id',
    re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    group: 0,
    keep: 4,
  },
  {
    kind: 'aws-secret-access-key',
    label: 'AWS secret access key',
    re: /(?:aws_?secret_?access_?key|secretaccesskey|aws_?secret_?key)["']?\s{0,5}[:=]\s{0,5}["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    keep: 0,
  },
  {
    kind: 'github-token',
    label: 'GitHub token',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})(?![A-Za-z0-9_])/g,
    group: 0,
    keep: 4,
  },
  { kind: 'slack-token', label: 'Slack token', re: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,250}/g, group: 0, keep: 5 },
  {
    kind: 'slack-webhook',
    label: 'Slack webhook URL',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{20,200}/g,
    group: 0,
    keep: 33,
  },
  {
    kind: 'ai-api-key',
    label: 'AI provider API key',
    re: /(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)[A-Za-z0-9_-]{20,250}/g,
    group: 0,
    keep: 7,
  },
  {
    kind: 'jwt',
    label: 'JSON Web Token',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,3000}\.[A-Za-z0-9_-]{8,1500}/g,
    group: 0,
    keep: 3,
  },
  { kind: 'bearer-token', label: 'bearer token', re: /\bbearer\s{1,5}([A-Za-z0-9._~+/-]{20,2000}=*)/gi, group: 1, keep: 0 },
  {
    kind: 'database-url-password',
    label: 'database URL with a password',
    re: new RegExp(`${DB_SCHEME}[^\\s:/@"'<>]{0,256}:([^\\s/@"'<>]{1,256})@`, 'gi'),
    group: 1,
    keep: 0,
  },
  {
    kind: 'database-url-password',
    label: 'database URL with a password',
    re: new RegExp(`${DB_SCHEME}[^\\s"'<>?]{1,1024}\\?(?:[^\\s"'<>#]{0,1024}[&;])?(?:ssl)?(?:password|passwd|pass|pwd)=([^\\s"'<>&;#]{1,256})`, 'gi'),
    group: 1,
    keep: 0,
  },
];

/** Longer than any pattern can match, so the tail kept between chunks holds any secret cut by a chunk boundary. */
const OVERLAP = 8192;
/** Text evidence: no NUL byte at its start. Binary files (archives, images, databases) are not scanned. */
const SNIFF_BYTES = 8192;
const MAX_DISTINCT = 500;

export const fingerprintOf = (secret: string): string => createHash('sha256').update(secret, 'latin1').digest('hex').slice(0, 16);

/** Keeps the type prefix and the last four characters: enough to recognise a key, never enough to use it. */
export function redact(secret: string, keep: number): string {
  const tail = secret.length >= 16 ? secret.slice(-4) : '';
  return `${secret.slice(0, keep)}…${tail} (${secret.length} chars)`;
}

interface Hit {
  start: number;
  end: number;
  pattern: Pattern;
  secret: string;
}

/**
 * Scans text evidence chunk by chunk while it streams in. Holds at most one chunk plus OVERLAP characters; never keeps
 * a secret, only its redacted form and fingerprint.
 */
export class SecretScanner {
  private text: boolean | null = null;
  private carry = '';
  /** Leading characters of carry that were scanned already (kept only as look-behind context). */
  private skip = 0;
  private linesBeforeCarry = 0;
  private readonly found = new Map<string, SecretFinding>();
  /** Secret -> its finding, so a key repeated in every CloudTrail record is hashed once (kept in memory only). */
  private readonly known = new Map<string, SecretFinding>();

  get isText(): boolean | null {
    return this.text;
  }

  push(chunk: Buffer): void {
    if (this.text === null) this.text = !chunk.subarray(0, SNIFF_BYTES).includes(0);
    if (!this.text || chunk.length === 0) return;
    this.scan(this.carry + chunk.toString('latin1'), false);
  }

  finish(): SecretFinding[] {
    if (this.text) this.scan(this.carry, true);
    this.carry = '';
    return [...this.found.values()].sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  }

  private scan(window: string, final: boolean): void {
    // A match is accepted once it starts before the cut; later ones are looked for again with the next chunk.
    const cut = final ? window.length : window.length - OVERLAP;
    if (cut <= 0) {
      this.carry = window;
      return;
    }
    const hits: Hit[] = [];
    for (const pattern of PATTERNS) {
      pattern.re.lastIndex = 0;
      for (let m = pattern.re.exec(window); m; m = pattern.re.exec(window)) {
        const secret = m[pattern.group] ?? m[0];
        const start = m.index + (pattern.group === 0 ? 0 : m[0].lastIndexOf(secret));
        if (start >= cut) break;
        if (start < this.skip) continue;
        hits.push({ start, end: start + secret.length, pattern, secret });
      }
    }
    // Patterns are in order of precedence: a JWT inside "Bearer ..." is reported once, as a JWT.
    const taken = nonOverlapping(hits);
    let lines = this.linesBeforeCarry;
    let counted = 0;
    let keepFrom = cut;
    for (const h of taken) {
      lines += countNewlines(window, counted, h.start);
      counted = h.start;
      this.record(h, window, lines + 1);
      keepFrom = Math.max(keepFrom, h.end);
    }
    if (final) return;
    // Keep one character before the tail so the look-behinds see what precedes it.
    const from = Math.max(0, Math.min(keepFrom, window.length) - 1);
    this.linesBeforeCarry = lines + countNewlines(window, counted, from);
    this.carry = window.slice(from);
    this.skip = 1;
  }

  private record(h: Hit, window: string, line: number): void {
    const again = this.known.get(h.secret);
    if (again && again.kind === h.pattern.kind) {
      again.occurrences += 1;
      return;
    }
    let material = h.secret;
    if (h.pattern.kind === 'private-key') {
      // The header is not secret; fingerprint the key body so the same key is matched across items.
      const endAt = window.indexOf('-----END', h.end);
      if (endAt > 0 && endAt - h.end < OVERLAP) material = window.slice(h.end, endAt).replace(/\s+/g, '');
    }
    const fingerprint = fingerprintOf(material);
    const key = `${h.pattern.kind}:${fingerprint}`;
    const seen = this.found.get(key);
    if (seen) {
      seen.occurrences += 1;
      if (h.pattern.kind !== 'private-key') this.known.set(h.secret, seen);
      return;
    }
    if (this.found.size >= MAX_DISTINCT) return;
    const finding: SecretFinding = {
      kind: h.pattern.kind,
      label: h.pattern.label,
      redacted: h.pattern.kind === 'private-key' ? h.secret : redact(h.secret, h.pattern.keep),
      fingerprint,
      line,
      occurrences: 1,
    };
    this.found.set(key, finding);
    if (h.pattern.kind !== 'private-key') this.known.set(h.secret, finding);
  }
}

/** Hits in precedence order -> the ones that overlap no earlier hit, sorted by position. */
function nonOverlapping(hits: readonly Hit[]): Hit[] {
  const taken: Hit[] = [];
  for (const h of hits) {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((taken[mid] as Hit).start < h.start) lo = mid + 1;
      else hi = mid;
    }
    const before = taken[lo - 1];
    const after = taken[lo];
    if ((before && before.end > h.start) || (after && after.start < h.end)) continue;
    taken.splice(lo, 0, h);
  }
  return taken;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Scans a whole text at once (small evidence, tests). */
export function scanText(data: Buffer | string): SecretFinding[] {
  const s = new SecretScanner();
  s.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  return s.finish();
}

/** Text shown verbatim (an agent's words, a tool's arguments) with every secret the patterns know replaced by its redacted form. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) {
    out = out.replace(new RegExp(pattern.re.source, pattern.re.flags), (match: string, ...groups: unknown[]) => {
      const secret = pattern.group === 0 ? match : String(groups[pattern.group - 1] ?? '');
      return secret ? match.replace(secret, `[redacted ${pattern.label}: ${redact(secret, pattern.keep)}]`) : match;
    });
  }
  // Passwords in connection URLs (postgres://user:pass@host) are secrets the evidence patterns leave to the URL rules.
  return out.replace(/(\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"']{1,200}:)([^\s@/"']{1,200})(@)/gi, '$1[redacted password]$3');
}
