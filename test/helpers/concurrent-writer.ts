// One writer of the many-writers test, run as its own Node process: ROUNDS times it adds a piece of evidence, marks a
// step done and writes a step note on one incident, each through the CLI's own entry point (a fresh database connection
// per command, as separate `firebreak` invocations have). Prints one JSON line: the failures it met.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/main';

const [dataDir, incident, workDir, name, rounds, ...steps] = process.argv.slice(2);
if (!dataDir || !incident || !workDir || !name || !rounds || steps.length === 0) {
  process.stderr.write('usage: concurrent-writer DATA_DIR INCIDENT WORK_DIR NAME ROUNDS STEP...\n');
  process.exit(2);
}

const failures: { command: string; code: number; err: string }[] = [];
const env = { ...process.env, FIREBREAK_ACTOR: `Writer ${name}`, FIREBREAK_ROLE: 'IR lead' };
const run = async (args: string[]) => {
  let err = '';
  const code = await main(['--data-dir', dataDir, ...args], { out: () => undefined, err: (t) => (err += t) }, env);
  if (code !== 0) failures.push({ command: args.slice(0, 2).join(' '), code, err });
};

for (let i = 0; i < Number(rounds); i++) {
  const file = join(workDir, `${name}-${i}.txt`);
  writeFileSync(file, `writer ${name} round ${i}\n`);
  const step = steps[i % steps.length] as string;
  await run(['evidence', 'add', incident, file]);
  await run(['step', incident, step, i % 2 === 0 ? '--done' : '--todo']);
  await run(['step', incident, step, '--note', `writer ${name} round ${i}`]);
}
process.stdout.write(`${JSON.stringify({ name, failures })}\n`);
