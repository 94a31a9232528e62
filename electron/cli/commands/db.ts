import type { Command } from 'commander';
import type { CliEnv } from '../env';

export function registerDbCommands(_program: Command, _env: CliEnv): void {}
