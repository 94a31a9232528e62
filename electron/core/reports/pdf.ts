import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ReportHeader } from '../../shared/reports';
import { FirebreakError } from '../errors';
import { TLP_COLOUR } from './format';

/** What every PDF page repeats, as Chromium print templates (`pageNumber` and `totalPages` are filled in by Chromium). */
export interface PageTemplates {
  headerTemplate: string;
  footerTemplate: string;
}

/**
 * Turns a report's HTML into a PDF. The CLI and browser mode use Chromium through playwright-core; Electron's main
 * process can supply one built on webContents.printToPDF, which takes the same templates.
 */
export interface PdfRenderer {
  render(html: string, templates: PageTemplates): Promise<Buffer>;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const BOX = 'font-family:system-ui,Arial,sans-serif;font-size:7.5px;width:100%;margin:0 12mm;display:flex;justify-content:space-between;align-items:center;-webkit-print-color-adjust:exact;print-color-adjust:exact';

/** Incident id, TLP marking (and SAMPLE) at the top of every page; page x of y and the content hash at the bottom. */
export function pageTemplates(h: ReportHeader, contentSha256: string): PageTemplates {
  const tlp = `<span style="background:#000;color:${TLP_COLOUR[h.tlp]};font-weight:700;padding:1px 5px">${esc(h.tlp)}</span>`;
  const sample = h.sample ? '<span style="background:#b00020;color:#fff;font-weight:800;padding:1px 5px;margin-left:4px">SAMPLE</span>' : '';
  return {
    headerTemplate: `<div style="${BOX}"><span>${tlp}${sample}</span><span>${esc(h.incident.id)} · ${esc(h.title)}</span><span>${tlp}</span></div>`,
    footerTemplate: `<div style="${BOX}"><span>${esc(h.incident.id)} · ${esc(h.tlp)}${h.sample ? ' · SAMPLE' : ''}</span><span style="font-family:monospace">Content SHA-256 ${esc(contentSha256)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

/** The Chromium flags of a headless, offline print: no network, no updates, no sync. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.FIREBREAK_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new FirebreakError('unavailable', `FIREBREAK_CHROMIUM points at ${given}, which does not exist.`);
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new FirebreakError('unavailable', 'A PDF needs Chromium or Chrome: install it, or set FIREBREAK_CHROMIUM to its executable. HTML, Markdown and JSON work without it.');
  }
  return found;
}

/** One Chromium for all the PDFs of a session (a bundle prints three), launched on first use. */
export function chromiumPdf(o: { executablePath?: string } = {}): PdfRenderer {
  let browser: Promise<Browser> | null = null;
  const launch = async () => {
    const { chromium } = await import('playwright-core');
    return chromium.launch({ executablePath: o.executablePath ?? findChromium(), args: CHROMIUM_ARGS, timeout: 60_000 });
  };
  return {
    async render(html, templates) {
      browser ??= launch();
      const page = await (await browser).newPage();
      page.setDefaultTimeout(0);
      try {
        // Everything is inline: nothing to wait for but the document itself.
        await page.setContent(html, { waitUntil: 'load', timeout: 600_000 });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          ...templates,
          margin: { top: '18mm', bottom: '18mm', left: '12mm', right: '12mm' },
        });
      } finally {
        await page.close();
      }
    },
    async close() {
      if (browser) await (await browser).close();
      browser = null;
    },
  };
}
