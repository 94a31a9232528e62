import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitFor } from '../../electron/cli/env';
import { composeHandlers } from '../../electron/core/core';
import { objectsDir } from '../../electron/core/evidence/store';
import { OperationRegistry } from '../../electron/core/operations';
import { FileKeyStore } from '../../electron/core/signers/key-store';
import { DATABASE_FILE } from '../../electron/core/store/database';
import type { ErrorCode } from '../../electron/shared/result';
import { testCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';

describe('opening core', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  /** A temporary file of an intake whose process died: what the start-up check removes. */
  const orphan = () => {
    mkdirSync(objectsDir(dir.path), { recursive: true });
    const path = join(objectsDir(dir.path), '.partial-999999-0123456789abcdef');
    writeFileSync(path, 'half a file');
    return path;
  };

  it('runs the evidence store check once, as a step of opening, not when handlers are built', () => {
    const core = testCore(dir.path);
    try {
      expect(core.recovery).toEqual({ removedPartial: 0, removedUnrecorded: [], flaggedMissing: [] });
      const left = orphan();
      // Building every domain's handlers again (as the sample generator once did) touches nothing.
      const operations = new OperationRegistry();
      composeHandlers(core.context, { keys: new FileKeyStore(dir.path), passwords: { unavailable: 'no' }, operations, callAs: () => core.call });
      expect(existsSync(left)).toBe(true);
    } finally {
      core.close();
    }
    const again = testCore(dir.path);
    try {
      expect(again.recovery).toMatchObject({ removedPartial: 1 });
    } finally {
      again.close();
    }
  });

  it('opens a scratch core without touching the data directory', async () => {
    const data = join(dir.path, 'never-created');
    const core = testCore(data, { scratch: true });
    try {
      expect(core.recovery).toBeNull();
      const r = await core.call('playbooks.lintFiles', { paths: [join(import.meta.dirname, '..', 'fixtures', 'playbooks', 'valid.yaml')] });
      expect(r).toMatchObject({ ok: true, value: { files: [{ problems: [] }], unreadable: [] } });
    } finally {
      core.close();
    }
    expect(existsSync(data)).toBe(false);
    expect(existsSync(join(data, DATABASE_FILE))).toBe(false);
  });
});

describe('the CLI exit codes', () => {
  it('are 1 when a check found a problem and 2 for everything the command could not use', () => {
    const codes: ErrorCode[] = ['bad-input', 'not-found', 'conflict', 'no-operator', 'gate-not-met', 'check-failed', 'cancelled', 'unavailable', 'forbidden', 'internal'];
    const exits = Object.fromEntries(codes.map((code) => [code, exitFor({ code, message: 'm' }).code]));
    expect(exits).toEqual({
      'bad-input': 2,
      'not-found': 2,
      conflict: 2,
      'no-operator': 2,
      'gate-not-met': 1,
      'check-failed': 1,
      cancelled: 2,
      unavailable: 2,
      forbidden: 2,
      internal: 2,
    });
    expect(exitFor({ code: 'gate-not-met', message: 'Containment cannot close.', details: ['step a', 'step b'] }).message).toBe(
      'firebreak: Containment cannot close.\n  step a\n  step b',
    );
  });
});
