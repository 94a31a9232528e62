// The incident timeline in Chromium (issue 21): 1,000,000 CloudTrail calls imported through `firebreak cloudtrail
// import` (timed apart, not in the figures), then browser mode (`firebreak serve`) driven by playwright-core in
// /usr/bin/chromium (headless, 1440x900). Measured in the page: from the click on the Cloud logs tab to the first page
// of the timeline painted, and from each filter change (cloud, identity, destructive only, text) to the new rows
// painted. Medians of several runs; never asserted anywhere.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serve } from '../e2e/serve';
import { AGENT_ROLE_ARN, generateCorpus } from '../helpers/cloudtrail-corpus';
import { BIN } from './processes';
import { timed } from './timed';
import type { Bench, BenchRow } from './types';

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export interface TimelineFigures {
  firstPageMs: number[];
  /** From the tab's click to the summary, facets and chart all read (they read the whole incident). */
  tabReadyMs: number[];
  filterMs: Record<string, number[]>;
}

/** Clicks the Cloud logs tab and resolves when the first timeline row is painted, and when the whole tab is ready. */
async function openTab(page: Page): Promise<{ first: number; ready: number }> {
  return page.evaluate(
    () =>
      new Promise<{ first: number; ready: number }>((resolve) => {
        const start = performance.now();
        let first = -1;
        const painted = (then: (t: number) => void) => requestAnimationFrame(() => requestAnimationFrame(() => then(performance.now() - start)));
        const check = () => {
          if (first < 0 && document.querySelector('[data-testid="cloudtrail-timeline"] [data-testid="event-row"][data-source="cloud"]')) {
            first = 0;
            painted((t) => (first = t));
          }
          const panel = document.querySelector('[data-testid="cloudtrail-panel"][data-state="ready"]');
          const list = document.querySelector('[data-testid="cloudtrail-timeline"][data-state="ready"]');
          const chart = document.querySelector('[data-testid="activity-chart"][data-state="ready"]');
          if (first > 0 && panel && list && chart) {
            observer.disconnect();
            painted((ready) => resolve({ first, ready }));
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
        (document.querySelector('[data-testid="tab-cloudtrail"]') as HTMLElement).click();
      }),
  );
}

/**
 * Applies a filter change the way React hears it (the control's own value setter, then its event) and resolves when
 * the list has read its first page for the new filter and painted it.
 */
async function changeFilter(page: Page, testId: string, value: string | boolean): Promise<number> {
  return page.evaluate(
    ({ testId, value }) =>
      new Promise<number>((resolve) => {
        const root = document.querySelector('[data-testid="cloudtrail-timeline"]') as HTMLElement;
        const control = document.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement | HTMLSelectElement;
        let reading = false;
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (root.getAttribute('data-list') === 'reading') reading = true;
          else if (reading) {
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
          }
        });
        observer.observe(root, { attributes: true, attributeFilter: ['data-list'] });
        if (typeof value === 'boolean') {
          if ((control as HTMLInputElement).checked !== value) (control as HTMLInputElement).click();
          return;
        }
        const proto = control instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(control, value);
        control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
      }),
    { testId, value },
  );
}

/** Waits until the tab has read everything (the chart follows the cloud filter), so each change starts from rest. */
const settled = (page: Page) =>
  page.locator('[data-testid="cloudtrail-timeline"][data-state="ready"][data-list="shown"]').waitFor({ timeout: 600_000 });

/** Browser mode over a data directory holding the incident; Chromium opens the incident and measures the tab. */
export async function measureTimeline(dataDir: string, incidentId: string, rounds: number, log: (l: string) => void): Promise<TimelineFigures> {
  const { chromium } = await import('playwright-core');
  const app = await serve(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const figures: TimelineFigures = { firstPageMs: [], tabReadyMs: [], filterMs: { cloud: [], identity: [], destructive: [], text: [] } };
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx names the functions it compiles with a helper that does not exist in the page the measuring code runs in.
    await page.addInitScript('window.__name = (f) => f');
    for (let round = 0; round < rounds; round++) {
      // A fresh page each round: nothing of the timeline is in the renderer's stores when the tab opens.
      await page.goto(app.url);
      if (round > 0) await page.reload();
      const link = page.locator(`[data-incident-id="${incidentId}"] [data-testid="incident-link"]`);
      const operator = page.getByTestId('operator-name');
      await link.or(operator).first().waitFor({ timeout: 120_000 });
      if (await operator.isVisible()) {
        await operator.fill('Dana Reyes');
        await page.getByTestId('operator-role').selectOption('IR lead');
        await page.getByTestId('operator-submit').click();
      }
      await link.click();
      await page.locator('[data-testid="incident-screen"][data-state="ready"]').waitFor({ timeout: 120_000 });
      log(`round ${round + 1}: incident open, opening the Cloud logs tab`);
      const opened = await openTab(page);
      figures.firstPageMs.push(opened.first);
      figures.tabReadyMs.push(opened.ready);
      log(`round ${round + 1}: first page ${opened.first.toFixed(0)} ms, whole tab ready ${opened.ready.toFixed(0)} ms`);
      const principal = await page.locator('[data-testid="filter-principal"] option').nth(1).getAttribute('value');
      const steps: Array<[string, string, string | boolean, string | boolean]> = [
        ['cloud', 'filter-cloud', 'aws', ''],
        ['identity', 'filter-principal', principal ?? '', ''],
        ['destructive', 'filter-destructiveOnly', true, false],
        ['text', 'filter-text', 'DeleteDB', ''],
      ];
      for (const [name, testId, on, off] of steps) {
        await settled(page);
        const ms = await changeFilter(page, testId, on);
        figures.filterMs[name]?.push(ms);
        await settled(page);
        await changeFilter(page, testId, off);
        log(`round ${round + 1}: ${name} filter ${ms.toFixed(0)} ms`);
      }
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  return figures;
}

export const benchTimeline: Bench = async ({ quick, workDir, log }) => {
  const records = quick ? 50_000 : 1_000_000;
  const dataDir = join(workDir, 'data');
  log(`generating ${records.toLocaleString('en-US')} CloudTrail records...`);
  const corpus = generateCorpus({ dir: join(workDir, 'exports'), records, recordsPerFile: 5000, level: 1 });
  const env = { ...process.env, FIREBREAK_DATA_DIR: dataDir, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' };
  const made = await timed(process.execPath, [BIN, 'incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Timeline bench', '--param', `agent_role_arn=${AGENT_ROLE_ARN}`], env);
  const incidentId = made.stdout.trim();
  log(`importing into ${incidentId} through firebreak cloudtrail import...`);
  const imported = await timed(process.execPath, [BIN, 'cloudtrail', 'import', incidentId, join(workDir, 'exports')], env);
  log(`import: ${imported.seconds.toFixed(1)} s (not in the figures)`);

  const f = await measureTimeline(dataDir, incidentId, quick ? 2 : ROUNDS, log);
  const input = `${corpus.records.toLocaleString('en-US')} CloudTrail calls in one incident`;
  const chromium = 'Chromium headless 1440x900, browser mode';
  const rows: BenchRow[] = [
    {
      name: 'timeline: data for the figures below',
      input,
      oursSeconds: imported.seconds,
      reference: null,
      referenceSeconds: null,
      note: 'firebreak cloudtrail import of the generated exports (evidence, analysis, indexes); timed apart',
    },
    {
      name: 'timeline: first page after opening the tab',
      input,
      oursSeconds: median(f.firstPageMs) / 1000,
      reference: null,
      referenceSeconds: null,
      target: '<= 0.2 s',
      note: `${chromium}; median of ${f.firstPageMs.length}; the whole tab (summary, facets, chart) ready in ${(median(f.tabReadyMs) / 1000).toFixed(2)} s`,
    },
  ];
  for (const [name, ms] of Object.entries(f.filterMs)) {
    rows.push({ name: `timeline: filter change (${name})`, input, oursSeconds: median(ms) / 1000, reference: null, referenceSeconds: null, target: '<= 0.3 s', note: `${chromium}; median of ${ms.length}, until the new rows are painted` });
  }
  return rows;
};
