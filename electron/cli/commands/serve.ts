import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type CliEnv, CliExit, EXIT, packageRoot } from '../env';

export const rendererDir = join(packageRoot, 'dist', 'renderer');

export function registerServeCommand(program: Command, env: CliEnv): void {
  program
    .command('serve')
    .description('browser mode: serve the UI on 127.0.0.1 and print its URL with a per-run token')
    .option('--port <n>', 'port to listen on (0 = any free port)', '0')
    .action(async (o: { port: string }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliExit(EXIT.usage, `firebreak: --port must be a number from 0 to 65535, got "${o.port}"`);
      }
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new CliExit(EXIT.usage, `firebreak: the UI is not built (${rendererDir} is missing); run: npm run build`);
      }
      // The browser UI asks who is working; the CLI's --actor does not apply here.
      const core = await env.open({ withOperator: false, mode: 'browser' });
      const { startServer } = await import('../../server/server');
      let server;
      try {
        server = await startServer({ core, staticDir: rendererDir, port, log: (l) => env.io.err(`${l}\n`) });
      } catch (e) {
        throw new CliExit(EXIT.usage, `firebreak: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
      }
      env.io.out(`Firebreak is running in browser mode at ${server.url}\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
