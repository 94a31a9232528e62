import { STREAM_INPUT_PARAM, type ApiInput, httpRoute } from '../../../electron/shared/contract/index';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { Result } from '../../../electron/shared/result';
import { api, ApiCallError, bridgeOf, tokenOf } from './client';
import { cancelOperation, newOperationId, watchOperation } from './operations';

export interface UploadOptions {
  incidentId: string;
  linkedSteps?: string[];
  description?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Adds one file as evidence. In Electron core reads the file from its path (progress by polling the operation); in
 * browser mode the bytes stream to the server, hashed as they arrive. Cancelling leaves nothing behind either way.
 */
export async function uploadEvidence(file: File, o: UploadOptions): Promise<EvidenceItem> {
  const bridge = bridgeOf();
  const path = bridge?.pathForFile?.(file);
  if (path) return addEvidenceFromPath(path, o, file.size);
  return streamUpload(file, o);
}

/** Desktop app: core reads the file at this path itself (a dropped file, or one chosen in the native dialog). */
export async function addEvidenceFromPath(path: string, o: UploadOptions, size = 0): Promise<EvidenceItem> {
  const op = newOperationId('up');
  const stop = watchOperation(o.incidentId, 'evidence.addFromPaths', op, (mine) => o.onProgress?.(mine.bytesDone, mine.bytesTotal ?? size));
  const onAbort = () => void cancelOperation(op);
  o.signal?.addEventListener('abort', onAbort);
  try {
    const [item] = await api('evidence.addFromPaths', {
      incidentId: o.incidentId,
      paths: [path],
      operationId: op,
      ...(o.linkedSteps ? { linkedSteps: o.linkedSteps } : {}),
      ...(o.description ? { description: o.description } : {}),
    });
    if (!item) throw new ApiCallError({ code: 'internal', message: 'The intake returned no item.' });
    o.onProgress?.(item.size, item.size);
    return item;
  } finally {
    stop();
    o.signal?.removeEventListener('abort', onAbort);
  }
}

function streamUpload(file: File, o: UploadOptions): Promise<EvidenceItem> {
  const input: ApiInput<'evidence.upload'> = {
    incidentId: o.incidentId,
    name: file.name,
    operationId: newOperationId('up'),
    ...(o.linkedSteps ? { linkedSteps: o.linkedSteps } : {}),
    ...(o.description ? { description: o.description } : {}),
  };
  const q = new URLSearchParams({ [STREAM_INPUT_PARAM]: JSON.stringify(input) });
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: it reports upload progress and streams the File without reading it into memory.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${httpRoute('evidence.upload')}?${q.toString()}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Authorization', `Bearer ${tokenOf() ?? ''}`);
    xhr.upload.onprogress = (e) => o.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let r: Result<EvidenceItem>;
      try {
        r = JSON.parse(xhr.responseText) as Result<EvidenceItem>;
      } catch {
        return reject(new ApiCallError({ code: 'internal', message: `The upload failed (HTTP ${xhr.status}).` }));
      }
      if (r.ok) resolve(r.value);
      else reject(new ApiCallError(r.error));
    };
    xhr.onerror = () => reject(new ApiCallError({ code: 'unavailable', message: `The upload of ${file.name} was interrupted.` }));
    xhr.onabort = () => reject(new ApiCallError({ code: 'cancelled', message: `The upload of ${file.name} was cancelled; nothing was kept.` }));
    o.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
