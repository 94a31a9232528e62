import type { ReactNode } from 'react';
import type { ReportEvidenceItem } from '../../../shared/reports';
import { bytes, evidenceStatus, utc, who } from '../format';

/**
 * Up to this many items the manifest is a table. Chromium lays out and prints every table cell as its own box, and a
 * 10,000-row table costs it about 10 s of CPU (any table, grid or flex layout alike: the boxes cost, not the CSS);
 * the same items as lines of text cost under 1 s. Larger manifests are therefore printed as an aligned listing.
 */
export const MANIFEST_TABLE_MAX = 1_000;

/**
 * Chromium lays out one huge table far more slowly than many small ones when printing (a 10,000-row manifest: about
 * 30 s against 11 s), so a table manifest is printed as consecutive tables of this many rows, each with its header.
 */
const EVIDENCE_ROWS_PER_TABLE = 500;

const chunks = <T,>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length ? out : [[]];
};

function ManifestTable({ items }: { items: ReportEvidenceItem[] }) {
  return (
    <>
      {chunks(items, EVIDENCE_ROWS_PER_TABLE).map((part, k) => (
        <table key={k} className="chunk">
          <thead>
            <tr>
              <th>Item</th>
              <th>Name</th>
              <th>SHA-256</th>
              <th className="num">Size</th>
              <th>Acquired</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {part.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>
                  {e.name}
                  <div className="small muted">
                    {e.sourceKind}
                    {e.linkedSteps.length ? ` · ${e.linkedSteps.join(', ')}` : ''}
                  </div>
                </td>
                <td className="hash">{e.sha256}</td>
                <td className="num">{bytes(e.size)}</td>
                <td className="small">
                  {utc(e.acquiredAt)}
                  <br />
                  {who(e.acquiredBy)}
                </td>
                <td className={e.status === 'intact' && !e.read ? 'ok' : 'bad'}>{evidenceStatus(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

const ID_WIDTH = 11;
const SIZE_WIDTH = 11;
const STATUS_WIDTH = 10;
const WHEN_WIDTH = 25;
const INDENT = '    ';
const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

/** An item's two lines: what it is and when it came, then its hash, source, acquirer and linked steps. */
const itemLines = (e: ReportEvidenceItem) =>
  `${pad(e.id, ID_WIDTH)}${pad(bytes(e.size), SIZE_WIDTH)}${pad(evidenceStatus(e), STATUS_WIDTH)}${pad(utc(e.acquiredAt), WHEN_WIDTH)}${e.name}\n` +
  `${INDENT}${e.sha256}  ${e.sourceKind} · ${who(e.acquiredBy)}${e.linkedSteps.length ? ` · ${e.linkedSteps.join(', ')}` : ''}\n`;

const LISTING_HEAD =
  `${pad('Item', ID_WIDTH)}${pad('Size', SIZE_WIDTH)}${pad('Status', STATUS_WIDTH)}${pad('Acquired', WHEN_WIDTH)}Name\n` +
  `${INDENT}SHA-256  source · acquired by · linked steps\n`;

/**
 * The manifest as an aligned listing, two lines per item (see itemLines). Items that are not intact, or not read in
 * full, are set in bold red. Runs of intact items are single text nodes, which is what makes 10,000 items print in about a second.
 */
function ManifestListing({ items }: { items: ReportEvidenceItem[] }) {
  const out: ReactNode[] = [];
  let run = '';
  for (const e of items) {
    if (e.status === 'intact' && !e.read) {
      run += itemLines(e);
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(
      <span key={e.id} className="bad">
        {itemLines(e)}
      </span>,
    );
  }
  if (run) out.push(run);
  return (
    <>
      <p className="small muted">
        More than {MANIFEST_TABLE_MAX} items: listed as text, two lines per item, so that the report prints in seconds.
      </p>
      <pre className="listing">
        <b>{LISTING_HEAD}</b>
        {out}
      </pre>
    </>
  );
}

export function EvidenceManifest({ items }: { items: ReportEvidenceItem[] }) {
  return items.length > MANIFEST_TABLE_MAX ? <ManifestListing items={items} /> : <ManifestTable items={items} />;
}
