/**
 * The playbook format, declared once. The YAML files in playbooks/ are parsed with it, the JSON Schema for editors
 * (playbooks/playbook.schema.json) is emitted from it, and the domain types below are inferred from it.
 * Cross-references (gates, decisions, placeholders, control ids against the catalog) are checked by lint.
 */
import * as z from 'zod';
import {
  ATTACK_RE,
  CIS_RE,
  CSF_RE,
  CVSS31_VECTOR_RE,
  CWE_RE,
  DATE_RE,
  HIPAA_RE,
  OWASP_RE,
  PARAMETER_NAME_RE,
  PCI_DSS_RE,
  SLUG_RE,
  SOC2_RE,
  VERSION_RE,
} from './ids';
import { controlId, formatted, slug, text, titled, uniqueList } from './schema-parts';
import { gateSchema, stepSchema } from './schema-steps';
import { ATTACK_TACTICS, CSF_CATEGORIES, PARAMETER_TYPES, PHASE_IDS, TRIAGE_PRIORITIES } from './vocabulary';

const csfId = formatted(CSF_RE, 'a CSF 2.0 function, category or subcategory (RS, RS.MI or RS.MI-01)').refine(
  (id) => id.length === 2 || (CSF_CATEGORIES as readonly string[]).includes(id.slice(0, 5)),
  { error: (iss) => `"${String(iss.input)}" names no CSF 2.0 category (the categories are ${CSF_CATEGORIES.join(', ')})` },
);

export const parameterSchema = z
  .object({
    name: formatted(PARAMETER_NAME_RE, 'a parameter name (lower-case letters, digits and underscores, e.g. agent_role_arn)'),
    label: text(200),
    type: z.enum(PARAMETER_TYPES),
    required: z.boolean(),
    /** A realistic value, shown as a hint and checked against the type. */
    example: text(500),
    description: text(1000).optional(),
  })
  .strict();

export const phaseSchema = z
  .object({
    id: z.enum(PHASE_IDS),
    title: text(120),
    nist: z
      .object({
        reference: formatted(/^SP 800-61r3 §\d+(?:\.\d+)*$/, 'an SP 800-61r3 reference such as "SP 800-61r3 §3.2"'),
        csf: uniqueList(csfId, 'CSF id').min(1, 'cite at least one CSF 2.0 function, category or subcategory'),
      })
      .strict(),
    objective: text(2000),
    /** SP 800-53 controls the phase exercises. */
    controls: uniqueList(controlId, 'control').min(1, 'a phase exercises at least one SP 800-53 control'),
    /** CIS Controls v8 safeguards the phase exercises; titles live in mappings.cis. */
    cis: uniqueList(formatted(CIS_RE, 'a CIS Controls v8 safeguard (e.g. 5.4)'), 'CIS safeguard').optional(),
    steps: z.array(stepSchema).min(1, 'a phase needs at least one step'),
    gate: gateSchema,
  })
  .strict();

export const mappingsSchema = z
  .object({
    attack: z
      .array(
        z
          .object({
            id: formatted(ATTACK_RE, 'an ATT&CK technique id (T1234 or T1234.001)'),
            name: text(200),
            tactics: uniqueList(z.enum(ATTACK_TACTICS), 'tactic').min(1, 'name at least one tactic'),
          })
          .strict(),
      )
      .optional(),
    sp80053: uniqueList(controlId, 'control').optional(),
    cis: z.array(titled(CIS_RE, 'a CIS Controls v8 safeguard (e.g. 5.4)')).optional(),
    soc2: z.array(titled(SOC2_RE, 'a SOC 2 Trust Services Criterion (e.g. CC6.1)')).optional(),
    hipaa: z.array(titled(HIPAA_RE, 'a HIPAA Security Rule citation (e.g. 164.312(a)(1))')).optional(),
    owasp: z.array(titled(OWASP_RE, 'an OWASP Top 10 id (A01:2021, LLM06:2025, NHI2:2025)')).optional(),
    cwe: z.array(titled(CWE_RE, 'a CWE id (CWE-269)')).optional(),
    pciDss: z.array(titled(PCI_DSS_RE, 'a PCI DSS requirement number (7.2.2)')).optional(),
  })
  .strict();

export const playbookSchema = z
  .object({
    id: formatted(SLUG_RE, 'a valid playbook id (lower-case words joined by hyphens)').min(3).max(64),
    version: formatted(VERSION_RE, 'a version (MAJOR.MINOR.PATCH, e.g. 1.0.0)'),
    title: text(200),
    summary: text(4000),
    /** The date this version was last changed (YYYY-MM-DD); CACAO exports use it as their modified time. */
    updated: formatted(DATE_RE, 'a date (YYYY-MM-DD)').optional(),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    cvss: z
      .object({
        score: z.number().min(0, 'must be between 0 and 10').max(10, 'must be between 0 and 10'),
        vector: formatted(CVSS31_VECTOR_RE, 'a CVSS v3.1 base vector (CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H)').optional(),
      })
      .strict()
      .optional(),
    triage: z
      .object({
        priority: z.enum(TRIAGE_PRIORITIES),
        escalation: z
          .array(
            z
              .object({
                id: slug('escalation id'),
                when: text(2000),
                notify: uniqueList(text(80), 'role').min(1, 'say whom to notify'),
              })
              .strict(),
          )
          .min(1, 'triage needs at least one escalation criterion'),
      })
      .strict(),
    parameters: z.array(parameterSchema),
    mappings: mappingsSchema,
    sources: z
      .array(z.object({ title: text(300), id: text(100).optional(), url: z.url().optional() }).strict())
      .optional(),
    phases: z.array(phaseSchema),
  })
  .strict();

export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookInput = z.input<typeof playbookSchema>;
export type Phase = Playbook['phases'][number];
export type Step = Phase['steps'][number];
export type Gate = Phase['gate'];
export type Parameter = Playbook['parameters'][number];
export type Mappings = Playbook['mappings'];
export type StepOf<K extends Step['kind']> = Extract<Step, { kind: K }>;
export type EvidenceArtifact = StepOf<'evidence'>['artifacts'][number];
export type DecisionAnswer = StepOf<'decision'>['answers'][number];
