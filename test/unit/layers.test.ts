import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/core';

/**
 * The order between core's parts is dependency-cruiser rules (.dependency-cruiser.cjs, run by `npm run lint`). This
 * writes files into core that import against the order and expects depcruise to fail naming the rule each one breaks.
 */
const DEPCRUISE = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(files: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, ...files, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Writes each probe into core under a unique name (in a new folder when `dir` does not exist), runs fn, removes them. */
function withProbes<T>(probes: Record<string, string>, fn: (paths: Record<string, string>) => T): T {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const paths = Object.fromEntries(Object.keys(probes).map((dir) => [dir, `electron/core/${dir}/zz-layer-probe-${tag}.ts`]));
  const made: string[] = [];
  try {
    for (const [dir, code] of Object.entries(probes)) {
      const folder = join(repoRoot, 'electron', 'core', dir);
      if (!existsSync(folder)) {
        mkdirSync(folder);
        made.push(folder);
      }
      writeFileSync(join(repoRoot, paths[dir] as string), code);
    }
    return fn(paths);
  } finally {
    for (const p of Object.values(paths)) rmSync(join(repoRoot, p), { force: true });
    for (const folder of made) rmSync(folder, { recursive: true, force: true });
  }
}

const violationsOf = (out: string, file: string) =>
  out
    .split('\n')
    .filter((l) => l.includes(`${file} →`))
    .map((l) => /error (\S+):/.exec(l)?.[1]);

describe('one direction between core’s parts', () => {
  it('fails on an arrow back up, a type-only one too, and on peers importing each other, naming the rule', () => {
    withProbes(
      {
        // evidence sits below reports: a value import up.
        evidence: "import { reportModel } from '../reports/export';\nexport const probe = reportModel;\n",
        // incidents sits below workflow: a type is an arrow as well.
        incidents: "import type { IncidentRun } from '../../shared/workflow';\nimport type { SignDeps } from '../signoff/sign';\nexport type Probe = [IncidentRun, SignDeps];\n",
        // cloudtrail and validation are peers.
        cloudtrail: "import { parseTargetUrl } from '../validation/adapters/target-url';\nexport const probe = parseTargetUrl;\n",
        // the case reads the domains below it and never the actions above it.
        case: "import { signOff } from '../signoff/sign';\nexport const probe = signOff;\n",
        // checkpoints sit below the workflow, which reaches them only through the hook core hands it.
        checkpoints: "import type { AfterPhaseClose } from '../workflow/handlers';\nexport type Probe = AfterPhaseClose;\n",
      },
      (p) => {
        const { status, out } = cruise(Object.values(p));
        expect(status).not.toBe(0);
        expect(violationsOf(out, p.evidence as string)).toEqual(['evidence-imports-only-below']);
        expect(violationsOf(out, p.incidents as string)).toEqual(['incidents-imports-only-below']);
        expect(violationsOf(out, p.cloudtrail as string)).toEqual(['cloudtrail-imports-only-below']);
        expect(violationsOf(out, p.case as string)).toEqual(['case-imports-only-below']);
        expect(violationsOf(out, p.checkpoints as string)).toEqual(['checkpoints-imports-only-below']);
      },
    );
  });

  it('orders the stages of cloudtrail and validation: a stage never imports a later one', () => {
    withProbes(
      {
        // reading exports comes before storing events
        'cloudtrail/import': "import { EventsRepository } from '../store/events-repository';\nexport const probe = EventsRepository;\n",
        // the adapters come before the runs that use them
        'validation/adapters': "import { ValidationRunner } from '../runs/runner';\nexport const probe = ValidationRunner;\n",
      },
      (p) => {
        const { status, out } = cruise(Object.values(p));
        expect(status).not.toBe(0);
        expect(violationsOf(out, p['cloudtrail/import'] as string)).toEqual(['cloudtrail-import-imports-only-earlier-stages']);
        expect(violationsOf(out, p['validation/adapters'] as string)).toEqual(['validation-adapters-imports-only-earlier-stages']);
      },
    );
  });

  it('fails on a folder of core that no layer names', () => {
    withProbes({ [`zz-unlayered-${process.pid}`]: "import { badInput } from '../errors';\nexport const probe = badInput;\n" }, (p) => {
      const [file] = Object.values(p);
      const { status, out } = cruise([file as string]);
      expect(status).not.toBe(0);
      expect(violationsOf(out, file as string)).toEqual(['every-core-file-has-a-layer']);
    });
  });

  it('lets every part import the layers below it', () => {
    withProbes(
      {
        reports: "import { objectPath } from '../evidence/store';\nimport { incidentRun } from '../case/incident-run';\nexport const probe = [objectPath, incidentRun];\n",
        signoff: "import { signOffStatus } from '../case/signoff-status';\nimport { sha256Hex } from '../kernel/signature';\nexport const probe = [signOffStatus, sha256Hex];\n",
      },
      (p) => {
        const { status, out } = cruise(Object.values(p));
        expect(out).toMatch(/no dependency violations found/);
        expect(status).toBe(0);
      },
    );
  });
});
