import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EVIDENCE_SOURCE_KINDS, type EvidenceSourceKind } from '../../shared/evidence';
import { plural } from '../../shared/plural';
import { type CliEnv, CliExit, EXIT } from '../env';
import { rawArguments } from '../raw-arguments';

const collect = (value: string, previous: string[]) => [...previous, value];

const humanSize = (n: number) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
};

/** As sha256sum prints a name: a backslash, newline or carriage return is escaped and the line starts with '\'. */
export function sumLine(sha256: string, file: string): string {
  if (!/[\\\n\r]/.test(file)) return `${sha256}  ${file}\n`;
  return `\\${sha256}  ${file.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}\n`;
}

/** The file arguments as bytes where Node's UTF-8 decoding of argv lost some (names in any encoding are kept). */
function exactFileArgs(files: string[]): Array<string | Buffer> {
  if (!files.some((f) => f.includes('\uFFFD'))) return files;
  const given = process.argv.slice(2);
  const raw = rawArguments(given);
  let from = 0;
  return files.map((f) => {
    const k = given.indexOf(f, from);
    if (k < 0) return f;
    from = k + 1;
    return raw[k] ?? f;
  });
}

/** Progress on stderr, rewriting one line; `end()` finishes a line left open (on cancel or error). */
function progressLine(env: CliEnv, enabled: boolean) {
  let last = 0;
  let open = false;
  return {
    report: (done: number, total: number | null) => {
      const now = Date.now();
      if (!enabled || (now - last < 200 && done !== total)) return;
      last = now;
      const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
      open = done !== total;
      env.io.err(`\r  ${humanSize(done)}${total ? ` of ${humanSize(total)}` : ''}${pct}   ${open ? '' : '\n'}`);
    },
    end: () => {
      if (open) env.io.err('\n');
      open = false;
    },
  };
}

function registerAdd(evidence: Command, env: CliEnv): void {
  evidence
    .command('add')
    .description("hash files into the incident's evidence locker; prints '<sha256>  <file>' lines, as sha256sum")
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .argument('<file...>', 'files to add (read once, hashed while copied)')
    .option('--note <text>', 'why these files are evidence (the description of new items)')
    .option('--kind <kind>', `source kind: ${EVIDENCE_SOURCE_KINDS.join(', ')}`, 'file')
    .option('--step <id>', 'link the items to this playbook step (repeatable)', collect, [] as string[])
    .option('--legacy-hashes', 'compute SHA-1 and MD5 too, for matching legacy tools')
    .option('--progress', 'show progress on stderr (default: when stderr is a terminal)')
    .option('--json', 'print the items as JSON')
    .action(
      async (
        incidentId: string,
        files: string[],
        o: { note?: string; kind: string; step: string[]; legacyHashes?: boolean; progress?: boolean; json?: boolean },
      ) => {
        if (!EVIDENCE_SOURCE_KINDS.includes(o.kind as EvidenceSourceKind)) {
          throw new CliExit(EXIT.usage, `firebreak: --kind must be one of ${EVIDENCE_SOURCE_KINDS.join(', ')}`);
        }
        const steps = o.step.length ? await stepsOrArtifacts(env, incidentId, o.step) : [];
        const paths = exactFileArgs(files);
        const progress = progressLine(env, o.progress ?? Boolean(process.stderr.isTTY));
        let items;
        try {
          items = await env.call(
            'evidence.addFromPaths',
            {
              incidentId,
              paths,
              sourceKind: o.kind as EvidenceSourceKind,
              ...(o.note !== undefined ? { description: o.note } : {}),
              ...(steps.length ? { linkedSteps: steps } : {}),
              ...(o.legacyHashes ? { legacyHashes: true } : {}),
            },
            {
              onProgress: (p) => {
                // Each item as it is committed, so the lines printed are exactly what is in the record, even if a later file fails.
                if (!p.committed) progress.report(p.bytesDone, p.bytesTotal);
                else if (!o.json) env.io.out(sumLine(p.committed.sha256, files[p.committed.index] as string));
              },
            },
          );
        } finally {
          progress.end();
        }
        if (o.json) env.json(items);
        // Said on stderr, so stdout stays sha256sum lines: the Evidence tab shows the same as "N SECRETS FOUND".
        for (const i of items) {
          if (i.findings.length === 0) continue;
          env.io.err(`${i.id} ${i.name}: ${plural(i.findings.length, 'SECRET', 'SECRETS')} FOUND (redacted):\n`);
          for (const f of i.findings) env.io.err(`  ${f.label} ${f.redacted} (line ${f.line}${f.occurrences > 1 ? `, ${f.occurrences} times` : ''})\n`);
        }
      },
    );
}

/**
 * A `--step` naming an evidence step stands for its one artifact (the gate asks for artifacts), so the item satisfies it;
 * a step with several artifacts is refused with the list to choose from, rather than linking to none of them.
 */
async function stepsOrArtifacts(env: CliEnv, incidentId: string, given: string[]): Promise<string[]> {
  const run = await env.call('workflow.get', { id: incidentId });
  const steps = new Map(run.playbook.phases.flatMap((p) => p.steps.map((s) => [s.id, s] as const)));
  return given.flatMap((id) => {
    const step = steps.get(id);
    if (step?.kind !== 'evidence') return [id];
    const [only, ...more] = step.artifacts;
    if (only && more.length === 0) return [id, only.id];
    throw new CliExit(
      EXIT.usage,
      `firebreak: step ${id} asks for ${plural(step.artifacts.length, 'artifact')}; say which this file is with --step ARTIFACT:\n` +
        step.artifacts.map((a) => `  ${a.id}  ${a.name}`).join('\n'),
    );
  });
}

function registerViews(evidence: Command, env: CliEnv): void {
  evidence
    .command('list')
    .description("list an incident's evidence items")
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON (items with their custody)')
    .action(async (incidentId: string, o: { json?: boolean }) => {
      const items = await env.call('evidence.list', { incidentId, withCustody: Boolean(o.json) });
      if (o.json) return env.json(items);
      if (items.length === 0) return env.io.out(`No evidence in ${incidentId} yet. Add some with: firebreak evidence add ${incidentId} FILE...\n`);
      for (const i of items) {
        const flags = [i.findings.length ? `${i.findings.length} secret finding(s)` : '', i.linkedSteps.length ? `steps: ${i.linkedSteps.join(', ')}` : '']
          .filter(Boolean)
          .join('; ');
        env.io.out(
          `${i.id}  ${i.status.padEnd(8)}  ${i.sha256.slice(0, 16)}  ${humanSize(i.size).padStart(10)}  ${i.acquiredAt}  ${i.name}${flags ? `  [${flags}]` : ''}\n`,
        );
      }
    });

  evidence
    .command('custody')
    .description("an item's chain of custody: every acquisition, verification, link, export and note")
    .argument('<incident>', 'incident id')
    .argument('<item>', 'item id (EV-000012 or 12) or a SHA-256 prefix of 8+ hex digits')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, itemId: string, o: { json?: boolean }) => {
      const item = await env.call('evidence.get', { incidentId, itemId });
      if (o.json) return env.json(item);
      env.io.out(`${item.id}  ${item.name}\n  sha256 ${item.sha256}  ${humanSize(item.size)}  ${item.status}\n`);
      for (const f of item.findings) env.io.out(`  secret: ${f.label} ${f.redacted} (line ${f.line}, ${f.occurrences}x)\n`);
      for (const e of item.custody ?? []) {
        const who = `${e.actor.initiator === 'automated' ? '[auto] ' : ''}${e.actor.name} (${e.actor.role})`;
        env.io.out(`${String(e.seq).padStart(6)}  ${e.at}  ${e.kind.padEnd(12)}  ${who}  ${e.summary}\n`);
      }
    });
}

function registerChecks(evidence: Command, env: CliEnv): void {
  evidence
    .command('verify')
    .description('re-hash every item and record the result; exit 1 if any is modified or missing')
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, o: { json?: boolean }) => {
      const v = await env.call('evidence.verify', { incidentId });
      if (o.json) env.json(v);
      else for (const i of v.items) env.io.out(`${i.status.padEnd(8)}  ${i.id}  ${i.sha256}  ${i.name}${i.detail ? `  (${i.detail})` : ''}\n`);
      if (v.ok) {
        if (!o.json) env.io.out(`All ${v.items.length} evidence items of ${incidentId} are intact.\n`);
        return;
      }
      const bad = v.items.filter((i) => i.status !== 'intact');
      throw new CliExit(
        EXIT.problem,
        `firebreak: ${bad.length} of ${v.items.length} evidence items of ${incidentId} are not intact: ` +
          bad.map((i) => `${i.id} ${i.name} (${i.status})`).join(', '),
      );
    });

  evidence
    .command('manifest')
    .description('export a manifest of the evidence (recorded as an export in each item\'s custody)')
    .argument('<incident>', 'incident id')
    .requiredOption('--format <format>', 'json, csv or sha256sums (checkable with sha256sum -c)')
    .option('--paths <paths>', "sha256sums: name the original file names ('names') or the stored copies ('store')", 'names')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (incidentId: string, o: { format: string; paths: string; out?: string }) => {
      if (!['json', 'csv', 'sha256sums'].includes(o.format)) {
        throw new CliExit(EXIT.usage, `firebreak: --format must be json, csv or sha256sums, got "${o.format}"`);
      }
      if (!['names', 'store'].includes(o.paths)) throw new CliExit(EXIT.usage, `firebreak: --paths must be names or store`);
      const m = await env.call('evidence.manifest', {
        incidentId,
        format: o.format as 'json' | 'csv' | 'sha256sums',
        paths: o.paths as 'names' | 'store',
      });
      const bytes = Buffer.from(m.content, m.encoding === 'base64' ? 'base64' : 'utf8');
      if (!o.out) return env.io.out(bytes.toString('utf8'));
      try {
        writeFileSync(o.out, bytes);
      } catch (e) {
        throw new CliExit(EXIT.usage, `firebreak: cannot write ${o.out}: ${(e as Error).message}`);
      }
      env.io.err(`Wrote ${o.out} (${m.items} items, sha256 ${m.sha256})\n`);
    });

  evidence
    .command('note')
    .description("add a note to an item's chain of custody")
    .argument('<incident>', 'incident id')
    .argument('<item>', 'item id or SHA-256 prefix')
    .argument('<text>', 'the note')
    .action(async (incidentId: string, itemId: string, text: string) => {
      const e = await env.call('evidence.addNote', { incidentId, itemId, text });
      env.io.out(`${e.itemId}: note recorded (ledger entry ${e.seq})\n`);
    });

  evidence
    .command('link')
    .description('link an item to a playbook step (or --unlink it)')
    .argument('<incident>', 'incident id')
    .argument('<item>', 'item id or SHA-256 prefix')
    .argument('<step>', 'step id')
    .option('--unlink', 'remove the link')
    .action(async (incidentId: string, itemId: string, stepId: string, o: { unlink?: boolean }) => {
      const item = await env.call('evidence.linkStep', { incidentId, itemId, stepId, unlink: Boolean(o.unlink) });
      env.io.out(`${item.id}: linked steps ${item.linkedSteps.join(', ') || '(none)'}\n`);
    });
}

export function registerEvidenceCommands(program: Command, env: CliEnv): void {
  const evidence = program.command('evidence').description('the evidence locker: hashed intake, custody, verification, manifests');
  registerAdd(evidence, env);
  registerViews(evidence, env);
  registerChecks(evidence, env);
}
