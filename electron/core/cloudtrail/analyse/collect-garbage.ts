import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Records read between two looks: some 65 MB of CloudTrail JSON, about a second of one thread's reading. */
const RECORDS_PER_LOOK = 50_000;
/** Buffers held past which a look collects: a thread's own live buffers (batches not yet consumed) stay below. */
const BUFFERS_TO_COLLECT = 16 * 1024 * 1024;

let gc: (() => void) | null | undefined;
let since = 0;

/**
 * Called by a reader thread with each batch of records it sends: every 50,000 records, a full garbage collection when
 * the thread holds over 16 MB of buffers. Readers allocate their read, inflate and split buffers outside the
 * JavaScript heap, and a thread that makes little JavaScript garbage (CloudTrail's byte-level reader) starts a full
 * collection only once some 64 MB of such buffers are dead: per thread. Measured on `logs scan` of 4,000,000 CloudTrail
 * records in 20 files, two workers: 367 to 439 MB peak without; 270 to 330 MB looking after each file (every 100,000
 * records, over 32 MB), which a file of 200,000 records outgrows; 287 MB looking within files as here, for 1 to 3 s
 * more CPU (of 30). Azure and GCP readers make enough heap garbage to collect on their own and gain less.
 * V8 gives no collection call without --expose-gc, which a worker cannot be given (workers refuse V8 flags in
 * execArgv): the flag is set at run time and gc() taken from a new context, where V8 then installs it.
 */
export function collectAfter(records: number): void {
  since += records;
  if (since < RECORDS_PER_LOOK) return;
  since = 0;
  if (process.memoryUsage().arrayBuffers < BUFFERS_TO_COLLECT) return;
  collect();
}

/** A full collection, where V8 can be asked for one. */
function collect(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/** Records consumed between two looks of the consuming thread. */
const CONSUMED_PER_LOOK = 100_000;
/** Heap growth past which a look collects: since the scan began, then since the last look's collection. */
const HEAP_TO_COLLECT = 16 * 1024 * 1024;

/**
 * For the thread that consumes the readers' batches, one per scan: told the records of each batch, it looks every
 * 100,000 records and makes a full collection when the heap has grown by over 16 MB since the scan began (made at its
 * start) or since its last collection. The batches of files read ahead wait there for their turn, live through
 * young-generation collections and die in the old generation, which V8 lets grow for a long while before it collects
 * it. Measured on `logs scan` of 4,000,000 records in 20 files, two workers: Azure 346 MB peak without, 287 MB with;
 * GCP 324 and 296 MB; CloudTrail 283 and 274 MB; the same time within the runs' noise.
 *
 * Growth is counted from the scan's start, not from an empty heap: a process that has loaded its code already holds
 * some 10 to 20 MB, so counting from zero collected once in every scan of a few hundred thousand records (34 ms of the
 * consuming thread at 400,000 GCP records, and the optimised code that a full collection throws away compiled again).
 */
export class ConsumedCollector {
  private consumed = 0;
  private heapAfterLast = getHeapStatistics().used_heap_size;

  after(records: number): void {
    this.consumed += records;
    if (this.consumed < CONSUMED_PER_LOOK) return;
    this.consumed = 0;
    if (getHeapStatistics().used_heap_size - this.heapAfterLast < HEAP_TO_COLLECT) return;
    collect();
    this.heapAfterLast = getHeapStatistics().used_heap_size;
  }
}
