/** Wording shared by the HTML and Markdown renderings, so both say exactly the same thing. */
import type { Operator } from '../../shared/domain';
import { GAP_STATE_LABELS, type GapState } from '../../shared/gap';
import type { ReportEvidenceItem, ReportHeader, TlpMarking } from '../../shared/reports';
import { APP_HELD_KEY_LABEL, type SignOffGate, type SignOffRecord, type StoreValidation, type ValidationGate } from '../../shared/signoff';
import { utc } from '../kernel/utc';

// Every time in a report, here and in the case's report models, is written the same way.
export { utc };

/**
 * What the newest database compare proves, for the sign-off gate. Only `match` meets it; the other statuses each say
 * why not (in the words of case/signoff-status.ts), since "did not match" would be untrue of a partial compare whose tables
 * all matched.
 */
export function validationGateText(v: ValidationGate): string {
  const when = `(${utc(v.comparedAt)})`;
  switch (v.status) {
    case 'missing':
      return 'no comparison has been started';
    case 'match':
      return `${v.runId} matched the baseline ${when}`;
    case 'mismatch':
      return `${v.runId} did NOT match the baseline ${when}`;
    case 'partial':
      return `${v.runId} matched the tables it compared but does NOT prove the whole database: ${v.detail ?? 'what it covered cannot be told'} ${when}`;
    case 'not-proven':
      return `${v.runId} proves nothing: ${v.detail ?? 'it did not finish'} ${when}`;
  }
}

/** One line per affected data store, naming it with its newest compare; a single line when the incident names no store. */
export function storeGateLines(stores: readonly StoreValidation[]): string[] {
  if (stores.length === 0) return [validationGateText({ status: 'missing', runId: null, comparedAt: null, summary: null, evidenceId: null })];
  return stores.map((s) => (s.store ? `${s.store.label}: ${validationGateText(s)}` : validationGateText(s)));
}

/** The gate's validation side as one sentence: every store with its newest compare. */
export const gateValidationText = (g: Pick<SignOffGate, 'stores'>): string => `Database validation, per affected data store: ${storeGateLines(g.stores).join('; ')}`;

export const who = (o: Operator | null | undefined): string => (o ? `${o.name} (${o.role})` : '—');

/**
 * Whose key made a signature, in words: the signer's own enrolled key, or a key the app held on the operator's machine
 * (sign-offs made before signers were enrolled). Null for a report made before sign-offs said (rendered as it was).
 */
export function keyCustody(s: SignOffRecord): string | null {
  if (s.scheme === 'ed25519-app-key') return `Signed with a ${APP_HELD_KEY_LABEL}, made before signers were enrolled: it does not show that ${s.name} signed`;
  if (s.scheme !== 'sshsig') return null;
  const e = s.signer;
  return e
    ? `${s.name}'s own key, enrolled for ${s.role} as ${e.enrolmentId} (${e.principal}) by ${who(e.enrolledBy)} on ${utc(e.enrolledAt)}`
    : `${s.name}'s own enrolled key`;
}

/** The name of the fingerprint a sign-off's key has: SSH (`ssh-keygen -lf`) or SPKI SHA-256 (`openssl pkey`). */
export const fingerprintLabel = (s: SignOffRecord): string => (s.scheme === 'sshsig' ? 'SSH key fingerprint' : 'Ed25519 key fingerprint');

/**
 * An evidence item's status as a report prints it: the hash check, and for a log file an import could not read in full,
 * that too, because a file whose hash matches can still be cut short.
 */
export const evidenceStatus = (e: Pick<ReportEvidenceItem, 'status' | 'read'>): string =>
  e.read === 'failed' ? `${e.status}, NOT READ` : e.read === 'partial' ? `${e.status}, READ IN PART` : e.status;

export const stateLabel = (s: GapState | null): string => (s ? GAP_STATE_LABELS[s] : 'Not assessed');

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** What the marking allows, in FIRST's words (TLP 2.0), printed under the banner. */
export const TLP_MEANING: Record<TlpMarking, string> = {
  'TLP:CLEAR': 'Recipients can spread this to the world; there is no limit on disclosure.',
  'TLP:GREEN': 'Limited disclosure: recipients can share this within their community, not publicly.',
  'TLP:AMBER': 'Limited disclosure: recipients can share this only on a need-to-know basis within their organisation and its clients.',
  'TLP:AMBER+STRICT': 'Limited disclosure: recipients can share this only on a need-to-know basis within their organisation.',
  'TLP:RED': 'For the eyes and ears of individual recipients only; no further disclosure.',
};

/** FIRST TLP 2.0 colours: the marking is printed in its colour on black. */
export const TLP_COLOUR: Record<TlpMarking, string> = {
  'TLP:CLEAR': '#FFFFFF',
  'TLP:GREEN': '#33FF00',
  'TLP:AMBER': '#FFC000',
  'TLP:AMBER+STRICT': '#FFC000',
  'TLP:RED': '#FF2B2B',
};

export const SAMPLE_TEXT = 'SAMPLE: fictional data for training and evaluation, not a real incident';

/** The line every page carries: incident, marking, sample flag. */
export const pageMarking = (h: ReportHeader): string => `${h.incident.id} · ${h.tlp}${h.sample ? ' · SAMPLE' : ''}`;

export const HASH_EXPLANATION =
  'Content SHA-256: the SHA-256 of this report\'s JSON form (its canonical JSON: keys sorted, no spaces). Every rendering of the same content (HTML, PDF, Markdown) carries the same hash; `sha256sum` of the JSON form prints it.';

export const GAP_STATE_CLASS: Record<GapState | 'unassessed', string> = {
  implemented: 'ok',
  'partially-implemented': 'warn',
  'not-implemented': 'bad',
  'not-applicable': 'muted',
  unassessed: 'bad',
};
