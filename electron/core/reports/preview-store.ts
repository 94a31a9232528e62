import { randomBytes } from 'node:crypto';

/** Previews live this long: enough to load (and reload) the frame, not long enough to become a second copy. */
const TTL_MS = 5 * 60_000;
const MAX_PREVIEWS = 20;

/**
 * Holds rendered report HTML under unguessable one-off ids, so a sandboxed frame can load it from a real URL with its own
 * strict Content-Security-Policy (a srcdoc frame would inherit the app's policy, which rightly forbids inline styles).
 */
export class PreviewStore {
  private readonly items = new Map<string, { html: string; expires: number }>();

  put(html: string, now = Date.now()): string {
    this.sweep(now);
    while (this.items.size >= MAX_PREVIEWS) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
    const id = randomBytes(24).toString('base64url');
    this.items.set(id, { html, expires: now + TTL_MS });
    return id;
  }

  get(id: string, now = Date.now()): string | undefined {
    this.sweep(now);
    return this.items.get(id)?.html;
  }

  private sweep(now: number): void {
    for (const [id, item] of this.items) if (item.expires <= now) this.items.delete(id);
  }
}

/** The report preview's own policy: no scripts, no network, inline styles only, and a sandbox even if framed elsewhere. */
export const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'";
export const PREVIEW_ID = /^[A-Za-z0-9_-]{32}$/;
