import type { Command } from 'commander';
import type { CliEnv } from '../env';

export function registerPlaybookCommands(_program: Command, _env: CliEnv): void {}
