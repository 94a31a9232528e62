/**
 * The checks a schema cannot express: references between parts of a playbook (gates, decisions, baselines, placeholders),
 * control ids against the shipped NIST catalog, and the traps authors fall into. Each finding names a path in the YAML.
 */
import type { ControlCatalog } from './catalog';
import { cvss31BaseScore } from './cvss';
import { controlLabel } from './ids';
import { describePath, type Finding, valueAt } from './lint-describe';
import { checkParameterValue } from './parameter-values';
import type { Playbook, Step } from './schema';
import { scanTemplate } from './template';
import { type CommandLanguage, DEFAULT_LANGUAGE, PHASE_IDS } from './vocabulary';
import type { Path } from './yaml-locate';

export interface RuleContext {
  playbook: Playbook;
  /** The YAML data before parsing, for the values as the author wrote them. */
  data: unknown;
  /** When given, SP 800-53 ids are checked against it. */
  catalog?: ControlCatalog;
  lineOf(path: Path): number;
}

interface IndexedStep {
  step: Step;
  phase: string;
  order: number;
  path: Path;
}

export function checkPlaybook(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const say = (path: Path, message: string, extra: Partial<Finding> = {}) => {
    const where = describePath(path, ctx.data);
    findings.push({ path, ...extra, message: where ? `${where}: ${message}` : message });
  };
  const steps: IndexedStep[] = [];
  ctx.playbook.phases.forEach((phase, p) =>
    phase.steps.forEach((step, s) => steps.push({ step, phase: phase.id, order: steps.length, path: ['phases', p, 'steps', s] })),
  );
  checkPhaseOrder(ctx, say);
  checkIds(ctx, steps, say);
  checkControls(ctx, steps, say);
  checkTemplates(ctx, steps, say);
  checkGates(ctx, steps, say);
  checkDecisions(ctx, steps, say);
  checkStepDetails(steps, say);
  checkHeader(ctx, say);
  return findings;
}

type Say = (path: Path, message: string, extra?: Partial<Finding>) => void;

function checkPhaseOrder({ playbook }: RuleContext, say: Say) {
  const seen = new Set<string>();
  playbook.phases.forEach((phase, i) => {
    if (seen.has(phase.id)) say(['phases', i, 'id'], `phase ${phase.id} appears twice`);
    else if (PHASE_IDS[i] !== undefined && phase.id !== PHASE_IDS[i]) {
      say(['phases', i, 'id'], `phase ${i + 1} must be ${PHASE_IDS[i]}, not ${phase.id} (phases run ${PHASE_IDS.join(', ')})`);
    }
    seen.add(phase.id);
  });
  const missing = PHASE_IDS.filter((id) => !seen.has(id));
  if (missing.length) say(['phases'], `missing phase${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { key: true });
}

/** Step and evidence ids share one namespace, so a gate or a decision can never be ambiguous. */
function checkIds(ctx: RuleContext, steps: IndexedStep[], say: Say) {
  const first = new Map<string, Path>();
  const claim = (id: string, path: Path) => {
    const earlier = first.get(id);
    if (earlier) say(path, `duplicate id "${id}": already used on line ${ctx.lineOf(earlier)}`);
    else first.set(id, path);
  };
  for (const { step, path } of steps) {
    claim(step.id, [...path, 'id']);
    if (step.kind === 'evidence') step.artifacts.forEach((a, i) => claim(a.id, [...path, 'artifacts', i, 'id']));
  }
  const unique = (ids: string[], base: Path, field: string, what: string) => {
    const seen = new Map<string, number>();
    ids.forEach((id, i) => {
      const at = seen.get(id);
      if (at !== undefined) say([...base, i, field], `duplicate ${what} "${id}": already used on line ${ctx.lineOf([...base, at, field])}`);
      else seen.set(id, i);
    });
  };
  unique(ctx.playbook.parameters.map((p) => p.name), ['parameters'], 'name', 'parameter');
  unique(ctx.playbook.triage.escalation.map((e) => e.id), ['triage', 'escalation'], 'id', 'escalation id');
  for (const { step, path } of steps) {
    if (step.kind === 'decision') unique(step.answers.map((a) => a.id), [...path, 'answers'], 'id', 'answer id');
    if (step.kind === 'sign-off') unique(step.attestations.map((a) => a.id), [...path, 'attestations'], 'id', 'attestation id');
  }
}

function checkControls(ctx: RuleContext, steps: IndexedStep[], say: Say) {
  const { catalog, playbook } = ctx;
  if (!catalog) return;
  const check = (id: string, path: Path) => {
    if (catalog.has(id)) return;
    const raw = valueAt(ctx.data, path);
    const written = typeof raw === 'string' ? raw : controlLabel(id);
    const base = id.split('.')[0] ?? id;
    const hint = id.includes('.') && catalog.has(base) ? `; ${controlLabel(base)} is, but not this enhancement` : '';
    say(path, `unknown SP 800-53 control "${written}": it is not in the NIST catalog Firebreak ships (resources/nist)${hint}`);
  };
  playbook.mappings.sp80053?.forEach((id, i) => check(id, ['mappings', 'sp80053', i]));
  playbook.phases.forEach((phase, p) => phase.controls.forEach((id, i) => check(id, ['phases', p, 'controls', i])));
  for (const { step, path } of steps) {
    if (step.kind === 'gap-assessment') step.controls.forEach((c, i) => check(c.id, [...path, 'controls', i, 'id']));
    else step.controls?.forEach((id, i) => check(id, [...path, 'controls', i]));
  }
}

function checkTemplates({ playbook }: RuleContext, steps: IndexedStep[], say: Say) {
  const declared = new Set(playbook.parameters.map((p) => p.name));
  const check = (template: string, path: Path, language?: CommandLanguage) => {
    const { uses, problems } = scanTemplate(template, language);
    // The n-th occurrence in the value is the n-th in the source, whatever quoting or folding the YAML uses.
    const occurrence = (raw: string, index: number) => template.slice(0, index).split(raw).length - 1;
    for (const p of problems) say(path, p.message, { needle: p.raw, occurrence: occurrence(p.raw, p.index) });
    for (const u of uses) {
      if (!declared.has(u.name)) {
        say(path, `uses ${u.raw}, which is not a declared parameter`, { needle: u.raw, occurrence: occurrence(u.raw, u.index) });
      }
    }
  };
  for (const { step, path } of steps) {
    if (step.kind === 'command') check(step.command, [...path, 'command'], step.language ?? DEFAULT_LANGUAGE[step.platform]);
    if (step.kind === 'cloudtrail') check(step.lookup.value, [...path, 'lookup', 'value']);
    if (step.kind === 'validation') check(step.target, [...path, 'target']);
  }
}

function checkGates({ playbook }: RuleContext, steps: IndexedStep[], say: Say) {
  const stepPhase = new Map<string, string>();
  const evidencePhase = new Map<string, string>();
  // An id defined twice is reported as a duplicate; judging gates by either definition would only add noise.
  const duplicated = new Set<string>();
  const define = (map: Map<string, string>, id: string, phase: string) => {
    if (stepPhase.has(id) || evidencePhase.has(id)) duplicated.add(id);
    else map.set(id, phase);
  };
  for (const { step, phase } of steps) {
    define(stepPhase, step.id, phase);
    if (step.kind === 'evidence') step.artifacts.forEach((a) => define(evidencePhase, a.id, phase));
  }
  const watches = new Set(steps.filter(({ step }) => step.kind === 'checklist' && step.track === 'monitoring').map(({ step }) => step.id));
  playbook.phases.forEach((phase, p) => {
    phase.gate.steps.forEach((id, i) => {
      const path: Path = ['phases', p, 'gate', 'steps', i];
      if (duplicated.has(id)) return;
      const owner = stepPhase.get(id);
      if (owner === undefined) {
        say(path, evidencePhase.has(id) ? `"${id}" is evidence: list it under gate.evidence` : `names step "${id}", which does not exist`);
      } else if (owner !== phase.id) say(path, `names step "${id}" of phase ${owner}: a gate can only require steps of its own phase`);
      else if (watches.has(id)) say(path, `names step "${id}", the monitoring watch: it runs after the phase closes, so no gate can require it`);
    });
    phase.gate.evidence?.forEach((id, i) => {
      const path: Path = ['phases', p, 'gate', 'evidence', i];
      if (duplicated.has(id)) return;
      const owner = evidencePhase.get(id);
      if (owner === undefined) {
        say(path, stepPhase.has(id) ? `"${id}" is a step: list it under gate.steps` : `names evidence "${id}", which no evidence step declares`);
      } else if (PHASE_IDS.indexOf(owner as never) > PHASE_IDS.indexOf(phase.id)) {
        say(path, `names evidence "${id}", collected later in phase ${owner}: the gate could never be met`);
      }
    });
  });
}

function checkDecisions({ playbook }: RuleContext, steps: IndexedStep[], say: Say) {
  const byId = new Map(steps.map((s) => [s.step.id, s]));
  const escalations = new Set(playbook.triage.escalation.map((e) => e.id));
  for (const { step, path, order } of steps) {
    if (step.kind !== 'decision') continue;
    step.answers.forEach((answer, a) => {
      const answerPath: Path = [...path, 'answers', a];
      for (const field of ['opens', 'skips'] as const) {
        answer[field]?.forEach((id, i) => {
          const target = byId.get(id);
          const at: Path = [...answerPath, field, i];
          if (!target) say(at, `${field} step "${id}", which does not exist`);
          else if (id === step.id) say(at, `a decision cannot ${field === 'opens' ? 'open' : 'skip'} itself`);
          else if (target.order < order) say(at, `${field} step "${id}", which comes before this decision: it is already done or skipped by then`);
        });
      }
      const both = (answer.opens ?? []).filter((id) => answer.skips?.includes(id));
      for (const id of both) say([...answerPath, 'skips'], `both opens and skips step "${id}"`);
      answer.escalates?.forEach((id, i) => {
        if (!escalations.has(id)) say([...answerPath, 'escalates', i], `escalates "${id}", which is not a triage escalation id (${[...escalations].join(', ')})`);
      });
    });
  }
}

function checkStepDetails(steps: IndexedStep[], say: Say) {
  const byId = new Map(steps.map((s) => [s.step.id, s]));
  for (const { step, path, order } of steps) {
    if (step.kind === 'validation') {
      if (step.mode === 'baseline' && step.baseline) say([...path, 'baseline'], 'only a compare step names a baseline');
      if (step.mode === 'compare') {
        if (!step.baseline) say(path, 'a compare step must name the validation step that captured its baseline (baseline: STEP_ID)');
        else {
          const base = byId.get(step.baseline);
          if (!base || base.step.kind !== 'validation' || base.step.mode !== 'baseline') {
            say([...path, 'baseline'], `"${step.baseline}" is not a validation step with mode: baseline`);
          } else if (base.order > order) say([...path, 'baseline'], `baseline step "${step.baseline}" comes after this compare step`);
        }
      }
    }
    if (step.kind === 'cloudtrail' && step.eventNameMatches !== undefined) {
      try {
        new RegExp(step.eventNameMatches);
      } catch (e) {
        say([...path, 'eventNameMatches'], `is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  }
}

function checkHeader({ playbook }: RuleContext, say: Say) {
  playbook.parameters.forEach((p, i) => {
    const problem = checkParameterValue(p.type, p.example);
    if (problem) say(['parameters', i, 'example'], `"${p.example}" ${problem}`);
  });
  const cvss = playbook.cvss;
  if (cvss?.vector) {
    const computed = cvss31BaseScore(cvss.vector);
    if (computed !== undefined && computed !== cvss.score) say(['cvss', 'score'], `is ${cvss.score}, but the vector scores ${computed}`);
  }
  const titledCis = new Set(playbook.mappings.cis?.map((c) => c.id) ?? []);
  playbook.phases.forEach((phase, p) =>
    phase.cis?.forEach((id, i) => {
      if (!titledCis.has(id)) say(['phases', p, 'cis', i], `CIS safeguard ${id} is not listed in mappings.cis, where its title belongs`);
    }),
  );
}
