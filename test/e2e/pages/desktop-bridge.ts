import type { Page } from '@playwright/test';

/**
 * The renderer as the desktop app shows it, where no Electron binary exists: the page gets a `window.firebreak` shaped
 * like the preload's, whose call() and openPreview() go to the real core over browser mode's HTTP Api and whose chooseFiles()
 * answers as the OS dialog would. Only the dialog, the part of the world beyond Electron, is stood in for; the
 * `_electron` suite drives the real one where a binary exists.
 */
export class DesktopBridge {
  constructor(readonly page: Page) {}

  async open(app: { origin: string; token: string }, hash = ''): Promise<void> {
    // Given as source text, not a function: a function would be serialised as the TypeScript runner compiled it.
    await this.page.addInitScript({ content: bridgeScript(app.token) });
    await this.page.goto(`${app.origin}/${hash}`);
    await this.page.locator('[data-state="ready"]').first().waitFor();
  }

  /** What the user will pick in the next dialog of this purpose. */
  async willChoose(purpose: string, paths: string[]): Promise<void> {
    await this.page.evaluate(
      ([p, chosen]) => ((window as unknown as { __dialogAnswers: Record<string, string[]> }).__dialogAnswers[p as string] = chosen as string[]),
      [purpose, paths] as const,
    );
  }

  /** The purposes of the dialogs opened so far. */
  dialogsAsked(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __dialogsAsked: string[] }).__dialogsAsked);
  }
}

/** The stand-in preload: call() and openPreview() over browser mode's HTTP with the token, chooseFiles() as scripted. */
const bridgeScript = (token: string): string => `(() => {
  const token = ${JSON.stringify(token)};
  const post = (path, input) =>
    fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token }, body: JSON.stringify(input ?? {}) })
      .then((res) => res.json());
  window.__dialogAnswers = {};
  window.__dialogsAsked = [];
  window.firebreak = {
    call: (method, input) => post('/api/' + method, input),
    openPreview: (input) => post('/preview', input),
    chooseFiles: async (purpose) => {
      window.__dialogsAsked.push(purpose);
      return { ok: true, value: window.__dialogAnswers[purpose] ?? [] };
    },
  };
})();`;
