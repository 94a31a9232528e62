import { readFileSync, writeFileSync } from 'node:fs';
import { CliExit, EXIT } from './env';

/** A text file a command was given; one it cannot read is bad usage (exit 2), named. */
export const readInput = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT.usage, `firebreak: cannot read ${file}: ${(e as Error).message}`);
  }
};

/** A text file a command writes where it was told; one it cannot write is bad usage (exit 2), named. */
export const writeOutput = (file: string, text: string): void => {
  try {
    writeFileSync(file, text, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT.usage, `firebreak: cannot write ${file}: ${(e as Error).message}`);
  }
};
