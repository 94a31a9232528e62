import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { tempDir } from '../../helpers/temp';
import { type BinlogMariaDb, startMariaDbWithBinlog } from '../validation/log-servers';

const run = promisify(execFile);

describe('the incident report shows what the databases recorded', () => {
  const dir = tempDir('firebreak-dynamo-dblog-report-');
  const dataDir = join(dir.path, 'firebreak');
  let maria: BinlogMariaDb | null = null;
  let incident = '';
  let untouched = '';

  async function fb(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) }, { FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead', FIREBREAK_DATA_DIR: dataDir });
    return { code, out, err };
  }

  beforeAll(async () => {
    incident = (await fb(['incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'Agent emptied the shop'])).out.trim();
    untouched = (await fb(['incident', 'new', '--playbook', 'agent-destructive-action', '--title', 'No database logs'])).out.trim();
    maria = await startMariaDbWithBinlog(join(dir.path, 'maria'));
    await maria.query(`CREATE DATABASE shop; USE shop;
      CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100));
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT);
      CREATE TABLE audit (id INT);
      INSERT INTO customer SELECT seq, CONCAT('person', seq, '@example.com') FROM seq_1_to_40;
      INSERT INTO orders SELECT seq, seq FROM seq_1_to_30;
      INSERT INTO audit VALUES (1);`);
    await maria.query(`USE shop;
      DELETE FROM orders WHERE id > 18;
      DELETE FROM customer WHERE id > 33;
      DROP TABLE orders;
      TRUNCATE TABLE audit;`);
    const text = join(dir.path, 'binlog.txt');
    writeFileSync(text, (await run('mariadb-binlog', ['-vv', '--base64-output=DECODE-ROWS', maria.binlog], { maxBuffer: 64 * 1024 * 1024 })).stdout);
    expect((await fb(['db', 'log', 'import', incident, text])).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await maria?.stop();
    dir.cleanup();
  });

  it('HTML and Markdown: rows deleted per table and the destructive statements in time order, without row values', async () => {
    const html = join(dir.path, 'incident.html');
    expect((await fb(['report', incident, '--kind', 'incident', '--format', 'html', '--out', html])).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    const section = page.slice(page.indexOf('id="database-log"'), page.indexOf('id="validation"'));
    expect(section).toContain('Rows deleted per table');
    const rowsDeleted = section.slice(section.indexOf('report-rows-deleted'), section.indexOf('report-db-statements'));
    expect([...rowsDeleted.matchAll(/<td>([^<]+)<\/td><td class="num bad">(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ['shop.orders', 12],
      ['shop.customer', 7],
    ]);
    const listed = section.slice(section.indexOf('report-db-statements'));
    const order = ['DELETE FROM orders WHERE id &gt; 18', 'DELETE FROM customer WHERE id &gt; 33', 'DROP TABLE `orders`', 'TRUNCATE TABLE audit'].map((s) => listed.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).not.toMatch(/person\d+@example\.com/);

    const md = join(dir.path, 'incident.md');
    expect((await fb(['report', incident, '--kind', 'incident', '--format', 'md', '--out', md])).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/## Database logs: what the databases recorded[\s\S]*\| shop\.orders \| 12 \|[\s\S]*\| shop\.customer \| 7 \|[\s\S]*## Validation results/);
  });

  it('PDF: the section prints with its tables', async () => {
    const pdf = join(dir.path, 'incident.pdf');
    expect((await fb(['report', incident, '--kind', 'incident', '--format', 'pdf', '--out', pdf])).code).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Database logs: what the databases recorded');
    expect(text).toMatch(/shop\.orders\s+12/);
    expect(text).toMatch(/DROP TABLE/);
  }, 60_000);

  it('an incident without imported logs says so', async () => {
    const html = join(dir.path, 'untouched.html');
    expect((await fb(['report', untouched, '--kind', 'incident', '--format', 'html', '--out', html])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('No database log (binlog, csvlog, pgaudit) has been imported for this incident.');
  });
});
