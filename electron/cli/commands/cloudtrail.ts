import type { Command } from 'commander';
import type { CliEnv } from '../env';

export function registerCloudtrailCommands(_program: Command, _env: CliEnv): void {}
