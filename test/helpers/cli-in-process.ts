import { join } from 'node:path';
import { main } from '../../electron/cli/main';

/** The CLI in this process, as `main(argv, io, env)`, on a data dir under `dir`, as the test operator. */
export function inProcessCli(dir: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return async (args: string[]) => {
    let out = '';
    let err = '';
    const env = { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead', ...extraEnv };
    const code = await main(['--data-dir', join(dir, 'data'), ...args], { out: (t) => (out += t), err: (t) => (err += t) }, env);
    return { code, out, err };
  };
}
