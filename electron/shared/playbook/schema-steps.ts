/**
 * The step kinds. Every step has an id unique in its playbook, so the guided workflow can record it, a gate can require
 * it and a decision can open or skip it.
 */
import * as z from 'zod';
import { controlId, slug, text, uniqueList } from './schema-parts';
import { DATA_CATEGORIES } from './regulatory';
import {
  CLOUDTRAIL_LOOKBACK_MAX_DAYS,
  COMMAND_LANGUAGES,
  LOOKUP_ATTRIBUTES,
  PLATFORMS,
  SELF_FILING_RECORDS,
  VALIDATION_CHECKS,
  VALIDATION_MODES,
} from './vocabulary';

const base = {
  id: slug('step id'),
  title: text(200),
  /** What to do and why, in the responder's words. */
  detail: text(6000).optional(),
  /** SP 800-53 controls this step exercises, when narrower than the phase's. */
  controls: uniqueList(controlId, 'control').optional(),
  /** The tooling this step stands in for, e.g. "a SIEM": the seeds call these compensating actions. */
  compensatingFor: text(300).optional(),
};

export const checklistStep = z
  .object({
    ...base,
    kind: z.literal('checklist'),
    items: z.array(text(1000)).min(1, 'a checklist needs at least one item'),
    /**
     * `monitoring`: the watch after Recovery. It is its own track, started when Recovery closes and kept by logged
     * checks, so no gate may require it (a gate could never be met before the watch it waits for starts).
     */
    track: z.enum(['monitoring']).optional(),
  })
  .strict();

export const commandStep = z
  .object({
    ...base,
    kind: z.literal('command'),
    platform: z.enum(PLATFORMS),
    /** How values are quoted on rendering; defaults by platform (vocabulary DEFAULT_LANGUAGE). */
    language: z.enum(COMMAND_LANGUAGES).optional(),
    /** The command, with `{{parameter}}` placeholders outside any quotes. */
    command: text(8000),
    /** What to look for in the output. */
    expect: text(2000).optional(),
  })
  .strict();

export const evidenceArtifact = z
  .object({
    id: slug('evidence id'),
    name: text(200),
    /** What counts as this evidence, and what does not. */
    accepts: text(3000),
    /** Validation records of these kinds link themselves to this artifact when they are made (no manual link needed). */
    filledBy: uniqueList(z.enum(SELF_FILING_RECORDS), 'record kind').optional(),
  })
  .strict();

export const evidenceStep = z
  .object({ ...base, kind: z.literal('evidence'), artifacts: z.array(evidenceArtifact).min(1, 'an evidence step needs at least one artifact') })
  .strict();

export const cloudtrailStep = z
  .object({
    ...base,
    kind: z.literal('cloudtrail'),
    /** LookupEvents takes exactly one attribute per call. */
    lookup: z.object({ attribute: z.enum(LOOKUP_ATTRIBUTES), value: text(500) }).strict(),
    /** A regular expression on eventName, as in the seed's `jq test("Delete|Drop|Purge")`. */
    eventNameMatches: text(500).optional(),
    /** Keep only read-only (true) or only mutating (false) calls. */
    readOnly: z.boolean().optional(),
    lookbackDays: z
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(
        CLOUDTRAIL_LOOKBACK_MAX_DAYS,
        `cannot exceed ${CLOUDTRAIL_LOOKBACK_MAX_DAYS} days: LookupEvents only returns the last 90 days (use the S3 export for older records)`,
      ),
    /** What to conclude from the records. */
    analysis: text(3000),
  })
  .strict();

/** Done when the agent's traces are imported (`firebreak trace import`): its decision chain is then on record. */
export const agentTraceStep = z
  .object({ ...base, kind: z.literal('agent-trace'), items: z.array(text(1000)).min(1, 'say what the reconstruction must establish') })
  .strict();

export const validationStep = z
  .object({
    ...base,
    kind: z.literal('validation'),
    mode: z.enum(VALIDATION_MODES),
    /** The database, usually a `{{parameter}}`: postgres://..., mysql://..., sqlite:PATH. */
    target: text(500),
    checks: uniqueList(z.enum(VALIDATION_CHECKS), 'check').min(1, 'name at least one check'),
    /** For compare: the id of the validation step that captured the baseline. */
    baseline: slug('baseline step id').optional(),
  })
  .strict();

export const gapAssessmentStep = z
  .object({
    ...base,
    kind: z.literal('gap-assessment'),
    controls: z
      .array(z.object({ id: controlId, question: text(1000) }).strict())
      .min(1, 'a gap assessment needs at least one control'),
  })
  .strict();

export const signOffStep = z
  .object({
    ...base,
    kind: z.literal('sign-off'),
    attestations: z.array(z.object({ id: slug('attestation id'), text: text(1000) }).strict()).min(1, 'a sign-off needs at least one attestation'),
    /** Everyone in these roles must sign. */
    roles: uniqueList(text(80), 'role').min(1, 'a sign-off needs at least one role'),
  })
  .strict();

export const decisionAnswer = z
  .object({
    id: slug('answer id'),
    label: text(300),
    /** Steps hidden until this answer is given. */
    opens: uniqueList(slug('step id'), 'step').optional(),
    /** Steps no longer needed once this answer is given. */
    skips: uniqueList(slug('step id'), 'step').optional(),
    /** Triage escalation criteria this answer meets (ids from triage.escalation). */
    escalates: uniqueList(slug('escalation id'), 'escalation').optional(),
    /** Regulated data this answer confirms, which starts notification clocks. */
    dataCategories: uniqueList(z.enum(DATA_CATEGORIES), 'data category').optional(),
  })
  .strict();

export const decisionStep = z
  .object({
    ...base,
    kind: z.literal('decision'),
    question: text(1000),
    /** More than one answer may be chosen (e.g. personal AND health data). */
    multiple: z.boolean().optional(),
    answers: z.array(decisionAnswer).min(2, 'a decision needs at least two answers'),
  })
  .strict();

export const stepSchema = z.discriminatedUnion('kind', [
  checklistStep,
  commandStep,
  evidenceStep,
  cloudtrailStep,
  agentTraceStep,
  validationStep,
  gapAssessmentStep,
  signOffStep,
  decisionStep,
]);

export const gateSchema = z
  .object({
    steps: uniqueList(slug('step id'), 'step').min(1, 'a gate must require at least one step'),
    evidence: uniqueList(slug('evidence id'), 'evidence').optional(),
  })
  .strict();

