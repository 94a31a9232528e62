import type { Command } from 'commander';
import type { CliEnv } from '../env';

export function registerEvidenceCommands(_program: Command, _env: CliEnv): void {}
