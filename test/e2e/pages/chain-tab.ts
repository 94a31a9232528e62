import type { Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

/** The Decision chain tab: trace import, the runs as trees on one time axis, last words, correlations, unexplained events. */
export class ChainTab extends TabPanel {
  readonly empty = this.root.getByTestId('chain-empty');
  readonly paths = this.root.getByTestId('chain-paths');
  readonly imported = this.root.getByTestId('chain-imported');
  readonly importError = this.root.getByTestId('chain-import-error');
  readonly summary = this.root.getByTestId('chain-summary');
  readonly runs = this.root.getByTestId('chain-run');
  readonly steps = this.root.getByTestId('chain-step');
  readonly lastWords = this.root.getByTestId('chain-last-words');
  readonly findings = this.root.getByTestId('chain-finding');
  readonly unexplained = this.root.getByTestId('chain-unexplained-event');
  readonly axis = this.root.getByTestId('chain-axis');

  constructor(page: Page) {
    super(page, 'chain-panel', 'chain');
  }

  /** Imports the trace files at these paths and waits for the chain read after it. */
  async importTraces(paths: string[]): Promise<void> {
    await this.paths.fill(paths.join('\n'));
    await this.root.getByTestId('chain-import').click();
    await this.imported.waitFor({ timeout: 60_000 });
    await this.ready();
  }

  /** A tool call's (or any step's) node by its tool name. */
  step(name: string): Locator {
    return this.root.locator(`[data-testid="chain-step"][data-name="${name}"]`).first();
  }

  /** The cloud events and database changes tied to a tool call, shown under it. */
  correlatedOf(name: string): Locator {
    return this.step(name).getByTestId('chain-correlated');
  }

  run(agent: string): Locator {
    return this.root.locator(`[data-testid="chain-run"][data-agent="${agent}"]`);
  }

  lane(id: 'agent' | 'cloud' | 'db'): Locator {
    return this.root.getByTestId(`chain-lane-${id}`);
  }
}
