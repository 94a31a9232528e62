/** T-SQL (SQL Server, Azure SQL): its strings, bracketed names and comments are all the syntax that matters. */
import { COMMENT, LINE_OR_CR, QUOTED, type Region, type RegionTable, type Syntax, scanWithTable } from './template-scanner';

const TSQL_BRACKETS: Region = {
  context: 'quoted',
  detail: 'inside [...]: values are rendered as string literals, which cannot name an object, so remove the brackets',
};

/** '...' and "..." with doubled quotes, [...] with ]], -- comments and block comments, which nest. */
const TSQL: RegionTable = [
  { open: '--', until: LINE_OR_CR, region: COMMENT },
  { open: '/*', until: { close: '*/', nest: '/*' }, region: COMMENT },
  { open: "'", until: { close: "'", literal: "''" }, region: QUOTED },
  { open: '"', until: { close: '"', literal: '""' }, region: QUOTED },
  { open: '[', until: { close: ']', literal: ']]' }, region: TSQL_BRACKETS },
];

export const scanTsql = (text: string, syntax: Syntax): void => scanWithTable(text, syntax, TSQL);
