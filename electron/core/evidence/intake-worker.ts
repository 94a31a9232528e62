/**
 * Worker thread entry of an evidence intake begun ahead of its call (warm-intake.ts): copies the opened source into the
 * opened temporary store file while hashing it, exactly as the calling thread would (pumpFile), and posts the digest.
 * The descriptors are the process's own, opened and later closed by the calling thread; this thread only reads and
 * writes through them.
 */
import { parentPort } from 'node:worker_threads';
import { FirebreakError } from '../errors';
import { pumpFile } from './copy-hash';
import { directFor } from './prepare';
import { bufferedSink, directSink } from './sink';
import type { IntakeReply, IntakeTask } from './warm-intake';

const port = parentPort;
if (!port) throw new Error('intake-worker must run in a worker thread');
const stop = new AbortController();
const post = (m: IntakeReply) => port.postMessage(m);

async function copy(task: IntakeTask): Promise<void> {
  const direct = directFor(task.size);
  const sink = direct ? await directSink(task.tempFd, task.tempPath) : bufferedSink(task.tempFd);
  const digest = await pumpFile(task.srcFd, sink, {
    aligned: direct,
    legacyHashes: false,
    total: task.size,
    signal: stop.signal,
    onProgress: (done) => post({ type: 'progress', done }),
  });
  post({ type: 'done', digest });
}

// The calling thread ends this one once it has its answer.
port.on('message', (m: { type: 'start'; task: IntakeTask } | { type: 'cancel' }) => {
  if (m.type === 'cancel') stop.abort();
  else
    copy(m.task).catch((e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      post({
        type: 'error',
        message: err?.message ?? String(e),
        ...(e instanceof FirebreakError ? { firebreak: e.code } : {}),
        ...(err?.code ? { code: err.code } : {}),
        ...(err?.syscall ? { syscall: err.syscall } : {}),
      });
    });
});
