/** What a statement does, from its first words: the verb, whether it destroys, and the table it names. */

const NAME = '((?:`[^`]+`|"[^"]+"|[\\w$]+)(?:\\.(?:`[^`]+`|"[^"]+"|[\\w$]+))?)';
const TABLE_OF: Array<[RegExp, string]> = [
  [new RegExp(`^DELETE\\s+(?:LOW_PRIORITY\\s+|QUICK\\s+|IGNORE\\s+)*FROM\\s+(?:ONLY\\s+)?${NAME}`, 'i'), 'DELETE'],
  [new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?${NAME}`, 'i'), 'TRUNCATE'],
  [new RegExp(`^DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i'), 'DROP TABLE'],
  [new RegExp(`^UPDATE\\s+(?:LOW_PRIORITY\\s+|IGNORE\\s+|ONLY\\s+)*${NAME}`, 'i'), 'UPDATE'],
  [new RegExp(`^(?:INSERT|REPLACE)\\s+(?:LOW_PRIORITY\\s+|DELAYED\\s+|HIGH_PRIORITY\\s+|IGNORE\\s+)*(?:INTO\\s+)?${NAME}`, 'i'), 'INSERT'],
  [new RegExp(`^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?${NAME}`, 'i'), 'ALTER TABLE'],
  [new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+|UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i'), 'CREATE TABLE'],
];

const unquote = (name: string) =>
  name
    .split('.')
    .map((p) => p.replace(/^[`"]|[`"]$/g, ''))
    .join('.');

/** Leading comments (`/* ... *\/`, `-- ...`) and white space, which clients put before statements. */
function stripLead(text: string): string {
  let t = text.trimStart();
  for (;;) {
    if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      if (end < 0) return t;
      t = t.slice(end + 2).trimStart();
    } else if (t.startsWith('--')) {
      const end = t.indexOf('\n');
      if (end < 0) return '';
      t = t.slice(end + 1).trimStart();
    } else return t;
  }
}

export interface StatementKind {
  operation: string;
  destructive: boolean;
  table: string | null;
}

export function statementKind(text: string): StatementKind {
  const t = stripLead(text);
  for (const [re, operation] of TABLE_OF) {
    const m = re.exec(t);
    if (m?.[1]) {
      const destructive = operation === 'DELETE' || operation === 'TRUNCATE' || operation === 'DROP TABLE' || operation === 'UPDATE' || (operation === 'ALTER TABLE' && /\bDROP\b/i.test(t));
      return { operation, destructive, table: unquote(m[1]) };
    }
  }
  const words = /^([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(t);
  const first = (words?.[1] ?? '').toUpperCase();
  const second = (words?.[2] ?? '').toUpperCase();
  const operation = ['DROP', 'CREATE', 'ALTER'].includes(first) && second ? `${first} ${second}` : first || '?';
  return { operation, destructive: first === 'DROP' || first === 'TRUNCATE', table: null };
}
