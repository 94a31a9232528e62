/** KQL (Azure Data Explorer, Sentinel, Log Analytics): its strings and comments are all the syntax that matters. */
import { COMMENT, LINE_OR_CR, QUOTED, type Region, type RegionTable, type Syntax, escapeWith, scanWithTable } from './template-scanner';

const KQL_VERBATIM: Region = {
  context: 'expansion',
  detail: "right after @, which would make the value a verbatim string where backslashes do not escape: remove the @",
};

/** '...' and "..." with backslash escapes, @'...' and @"..." with doubled quotes, ```...```, // comments. */
const KQL: RegionTable = [
  { open: '//', until: LINE_OR_CR, region: COMMENT },
  { open: '```', until: { close: '```' }, region: QUOTED },
  { open: "@'", until: { close: "'", literal: "''" }, region: QUOTED },
  { open: '@"', until: { close: '"', literal: '""' }, region: QUOTED },
  { open: '@', beforePlaceholder: KQL_VERBATIM },
  { open: "'", until: { close: "'", literal: escapeWith('\\') }, region: QUOTED },
  { open: '"', until: { close: '"', literal: escapeWith('\\') }, region: QUOTED },
];

export const scanKql = (text: string, syntax: Syntax): void => scanWithTable(text, syntax, KQL);
