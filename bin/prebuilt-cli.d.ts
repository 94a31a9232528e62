/** One file the bundle depends on or consists of: its path from the package root (with /), size and mtime. */
export type StampedFile = [path: string, size: number, mtimeMs: number];

/** dist/cli/build-stamp.json, written last by scripts/build-cli.ts. */
export interface CliStamp {
  format: 1;
  /** The entry's file name in dist/cli/. */
  entry: string;
  files: StampedFile[];
}

export const STAMP_FILE: string;

/** The file URL of the prebuilt CLI's entry under root, or null when there is no build or it is not current. */
export function prebuiltCli(root: string): string | null;
