/**
 * The sign-off request file: the bytes a signer signs. One UTF-8 text file with a readable part for the signer and a
 * canonical JSON block that Firebreak reads back. The readable part is rendered from the JSON, and a file whose
 * readable part is not exactly that rendering is refused, so what the signer read is what the data says. The
 * signature (SSHSIG, namespace firebreak-signoff) covers every byte of the file.
 */
import * as z from 'zod';
import { SIGNOFF_REQUEST_FORMAT, type SignOffGate, type SignOffRequestBody, type StoreValidation, type ValidationGate } from '../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE } from '../../shared/signers';
import { badInput } from '../errors';
import { canonicalJson } from '../ledger/canonical-json';

const BEGIN = '-----BEGIN FIREBREAK SIGN-OFF REQUEST-----';
const END = '-----END FIREBREAK SIGN-OFF REQUEST-----';

/** Lowercase slug of a role for file names: "IR lead" -> "ir-lead". */
export const roleSlug = (role: string): string =>
  role
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'role';

export const requestFileName = (b: Pick<SignOffRequestBody, 'incident' | 'role' | 'request'>): string =>
  `${b.incident.id}-${roleSlug(b.role)}-${b.request}.signoff-request.txt`;

/**
 * The sentence of a request: the signer's name is the one their key is enrolled with. "All affected data stores" says
 * which: each store with the run that proves it (or that nothing does).
 */
export function requestSentence(role: string, attestations: ReadonlyArray<{ text: string }>, stores: readonly StoreValidation[], override: string | null): string {
  const items = attestations.map((a, i) => `(${i + 1}) ${a.text}`).join(' ');
  const named = stores.filter((s) => s.store);
  const which = named.length
    ? ` The affected data stores and their latest comparisons: ${named.map((s) => `${s.store?.label} (${s.runId ?? 'no comparison'}: ${s.status})`).join('; ')}.`
    : '';
  const base = `I, signing as ${role} with my enrolled key, attest that: ${items}${which}`;
  return override ? `${base} I sign although the sign-off gate is not met, because: ${override}` : base;
}

/** One compare as the gate reads it, in one line. */
function validationLine(v: ValidationGate): string {
  const parts = [v.status, v.runId ? `run ${v.runId}` : null, v.comparedAt ? `compared ${v.comparedAt}` : null].filter(Boolean).join(', ');
  return `${parts}${v.summary ? `: ${v.summary}` : ''}${v.detail ? ` (${v.detail})` : ''}`;
}

/** The gate's validation side: every affected data store with its newest compare, or the one compare it reads. */
const validationLines = (gate: SignOffGate): string[] =>
  gate.stores.length ? gate.stores.map((s) => `  Validation${s.store ? ` of ${s.store.label}` : ''}: ${validationLine(s)}`) : [`  Validation: ${validationLine(gate.validation)}`];

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');

/** The readable part, rendered from the body alone. */
function readable(b: SignOffRequestBody): string[] {
  const out = [
    `FIREBREAK SIGN-OFF REQUEST ${b.request}${b.incident.sample ? ' (SAMPLE INCIDENT)' : ''}`,
    '',
    `Incident   ${b.incident.id}: ${b.incident.title}`,
    `Step       ${b.step.id}: ${b.step.title} (phase ${b.step.phaseId})`,
    `Sign as    ${b.role}`,
    `Requested  ${b.requestedAt} by ${b.requestedBy.name} (${b.requestedBy.role})`,
    '',
    'WHAT YOU SIGN',
    indent(b.statement, '  '),
    '',
  ];
  if (b.override) {
    out.push('OVERRIDE: you sign although the sign-off gate is not met.', indent(`Justification: ${b.override.justification}`, '  '), '  Waived:');
    for (const w of b.override.waived) out.push(indent(`- ${w}`, '    '));
    out.push('');
  }
  out.push(`THE GATE WHEN THIS REQUEST WAS MADE: ${b.gate.met ? 'met' : 'NOT MET'}`, ...validationLines(b.gate));
  for (const m of b.gate.missing) out.push(indent(`Missing: ${m}`, '  '));
  b.attestations.forEach((a, i) => {
    out.push(`  Attestation (${i + 1}) ${a.id}:`);
    if (a.evidence.length === 0) out.push('    no evidence linked');
    for (const e of a.evidence) out.push(`    ${e.id} ${e.name}  sha256 ${e.sha256}  ${e.status}`);
  });
  out.push(
    '',
    'PINNED BY YOUR SIGNATURE',
    `  Incident report (JSON) SHA-256  ${b.report.sha256}`,
    `  Ledger of ${b.ledger.scope}  ${b.ledger.seq === 0 ? 'empty' : `entry ${b.ledger.seq}, hash ${b.ledger.head ?? ''}`}`,
    '',
    'HOW TO SIGN, on your own machine. Do not edit or re-save this file: the signature covers every byte of it.',
    '  With Firebreak, using the key `firebreak keys init` made for you:',
    '    firebreak signoff sign THIS-FILE --out THIS-FILE.sig',
    `  With OpenSSH, using your ssh-ed25519 or sk-ssh-ed25519 key enrolled for ${b.role}:`,
    `    ssh-keygen -Y sign -n ${b.namespace} -f ~/.ssh/id_ed25519 THIS-FILE`,
    '  Send back the .sig file. Importing it checks that your key is enrolled for this role and that nothing but',
    '  sign-offs changed in the incident since this request was made.',
    '',
  );
  return out;
}

/** The request file's bytes (as text). */
export function renderRequest(b: SignOffRequestBody): string {
  return `${[...readable(b), BEGIN, canonicalJson(b), END].join('\n')}\n`;
}

const operator = z.object({ name: z.string(), role: z.string() }).strict();
const evidence = z.object({ id: z.string(), name: z.string(), sha256: z.string(), status: z.enum(['intact', 'modified', 'missing']) }).strict();

/** The body as Firebreak writes it; the gate's validation part is kept as written (it is compared, not interpreted). */
const bodySchema = z
  .object({
    format: z.literal(SIGNOFF_REQUEST_FORMAT),
    version: z.literal(1),
    request: z.string().regex(/^SR-\d{6,}$/),
    incident: z.object({ id: z.string(), title: z.string(), sample: z.boolean() }).strict(),
    step: z.object({ id: z.string(), title: z.string(), phaseId: z.string() }).strict(),
    role: z.string().min(1),
    statement: z.string(),
    attestations: z.array(z.object({ id: z.string(), text: z.string(), evidence: z.array(evidence) }).strict()),
    gate: z
      .object({ met: z.boolean(), validation: z.looseObject({ status: z.string() }), stores: z.array(z.looseObject({ status: z.string() })), missing: z.array(z.string()) })
      .strict(),
    override: z.object({ justification: z.string(), waived: z.array(z.string()) }).strict().nullable(),
    report: z.object({ kind: z.literal('incident'), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    ledger: z.object({ scope: z.string(), seq: z.number().int().min(0), head: z.string().nullable() }).strict(),
    requestedBy: operator,
    requestedAt: z.string(),
    namespace: z.literal(SIGNOFF_SSH_NAMESPACE),
  })
  .strict();

/** The data block of a request Firebreak made and stored (it was checked when made). */
export function storedRequestBody(text: string): SignOffRequestBody {
  const start = text.indexOf(`\n${BEGIN}\n`) + BEGIN.length + 2;
  return JSON.parse(text.slice(start, text.indexOf('\n', start))) as SignOffRequestBody;
}

/**
 * Reads a request file back. Refused, saying why: a file that is not a request, one whose data block is damaged, and
 * one whose readable part or layout differs from what Firebreak wrote (edited, re-saved with other line endings).
 */
export function parseRequest(text: string, where = 'the sign-off request'): SignOffRequestBody {
  if (text.startsWith('FIREBREAK SIGN-OFF REQUEST') && text.includes('\r')) {
    throw badInput(`${where} has Windows line endings (CR LF): it was re-saved after Firebreak wrote it, so no signature made over it is over the request. Use the file as received.`);
  }
  const begin = text.indexOf(`\n${BEGIN}\n`);
  if (!text.startsWith('FIREBREAK SIGN-OFF REQUEST') || begin < 0) {
    throw badInput(`${where} is not a Firebreak sign-off request (it has no "${BEGIN}" block).`);
  }
  const rest = text.slice(begin + BEGIN.length + 2);
  const endAt = rest.indexOf(`\n${END}`);
  if (endAt < 0) throw badInput(`${where} has no "${END}" line; it may be cut short.`);
  let raw: unknown;
  try {
    raw = JSON.parse(rest.slice(0, endAt));
  } catch {
    throw badInput(`${where}: the data between its BEGIN and END lines is not JSON (the file was damaged or edited).`);
  }
  const parsed = bodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(`${where}: its data is not a sign-off request Firebreak wrote (${issue ? `${issue.path.join('.') || 'data'}: ${issue.message}` : 'unknown shape'}).`);
  }
  const body = parsed.data as unknown as SignOffRequestBody;
  if (renderRequest(body) !== text) {
    throw badInput(`${where}: its readable part does not say what its data says (the file was edited after Firebreak wrote it).`);
  }
  return body;
}
