/** Identifier formats of a playbook and the frameworks it cites, with the normalisation of SP 800-53 control ids. */

/** Playbook, phase, step, evidence and answer ids: lower-case words joined by hyphens. */
export const SLUG_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Parameter names are used in `{{name}}` placeholders and as CACAO variables (`__name__`). */
export const PARAMETER_NAME_RE = /^[a-z][a-z0-9_]*$/;
export const VERSION_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
export const DATE_RE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

export const ATTACK_RE = /^T\d{4}(?:\.\d{3})?$/;
export const CIS_RE = /^(?:[1-9]|1[0-8])\.\d{1,2}$/;
export const SOC2_RE = /^(?:CC[1-9]\.\d{1,2}|A1\.\d|C1\.\d|PI1\.\d|P[1-8]\.\d)$/;
export const HIPAA_RE = /^164\.\d{3}(?:\([a-zA-Z0-9]{1,4}\))*$/;
/** OWASP Top 10 lists: web (A01:2021), API (API1:2023), LLM (LLM06:2025), non-human identities (NHI2:2025). */
export const OWASP_RE = /^(?:A|API|LLM|NHI)\d{1,2}:20\d{2}$/;
export const CWE_RE = /^CWE-\d{1,5}$/;
export const PCI_DSS_RE = /^\d{1,2}(?:\.\d{1,2}){0,3}$/;
export const CSF_RE = /^(?:GV|ID|PR|DE|RS|RC)(?:\.[A-Z]{2}(?:-\d{2})?)?$/;
export const CVSS31_VECTOR_RE = /^CVSS:3\.1\/AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[NLH]\/I:[NLH]\/A:[NLH]$/;

/** `AC-2`, `ac-2`, `AC-02`, `AC-2(1)`, `AC-02(01)`, `ac-2.1`: the forms authors write. */
const CONTROL_RE = /^([A-Za-z]{2})-0*(\d{1,2})(?:\s*\(0*(\d{1,2})\)|\.0*(\d{1,2}))?$/;

export const isControlId = (raw: string): boolean => CONTROL_RE.test(raw.trim());

/** The catalog's id for a control as written in a playbook: `AC-2(1)` -> `ac-2.1`. Undefined when malformed. */
export function normaliseControlId(raw: string): string | undefined {
  const m = CONTROL_RE.exec(raw.trim());
  if (!m) return undefined;
  const [, family = '', number = '', paren, dotted] = m;
  const enhancement = paren ?? dotted;
  return `${family.toLowerCase()}-${number}${enhancement ? `.${enhancement}` : ''}`;
}

/** How NIST prints a control: `ac-2.1` -> `AC-2(1)`. */
export function controlLabel(id: string): string {
  const m = /^([a-z]{2})-(\d+)(?:\.(\d+))?$/.exec(id);
  if (!m) return id.toUpperCase();
  return `${(m[1] ?? '').toUpperCase()}-${m[2]}${m[3] ? `(${m[3]})` : ''}`;
}

/** ATT&CK technique page: T1552.001 -> https://attack.mitre.org/techniques/T1552/001/ */
export const attackUrl = (id: string): string => `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;

/** Lower-case words joined by hyphens, for ids made from titles (CACAO import). */
export function slugify(text: string, prefix = 'step', max = 48): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return /^[a-z]/.test(slug) ? slug : `${prefix}-${slug || 'untitled'}`;
}
