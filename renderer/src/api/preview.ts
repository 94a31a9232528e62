import type { ApiInput } from '../../../electron/shared/contract/index';
import type { Result } from '../../../electron/shared/result';
import { ApiCallError, bridgeOf, tokenOf } from './client';

/** Renders a report preview and returns the URL a sandboxed frame shows it from (short-lived, unguessable). */
export async function previewUrl(input: ApiInput<'reports.preview'>): Promise<string> {
  const bridge = bridgeOf();
  let r: Result<{ url: string }>;
  if (bridge?.openPreview) {
    r = await bridge.openPreview(input);
  } else {
    const res = await fetch('/preview', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokenOf() ?? ''}` },
      body: JSON.stringify(input),
    });
    r = (await res.json()) as Result<{ url: string }>;
  }
  if (!r.ok) throw new ApiCallError(r.error);
  return r.value.url;
}
