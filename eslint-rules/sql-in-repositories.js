// House rule 5 as a lint rule: in electron/core only store/ and repository files talk to Firebreak's database. The
// config decides where the rule runs (and so which files may hold SQL); the rule finds database calls and SQL text.

/** better-sqlite3 calls that only a database handle has. */
const ALWAYS = new Set(['transaction', 'pragma']);
/** Calls other objects also have (RegExp#exec, a class's own prepare): flagged on a database handle (SQL text is flagged anyway). */
const ON_DB = new Set(['prepare', 'exec']);
const DB_NAME = /^(db|database|sqlite)$|Db$/;

/** Upper-case SQL shapes: a query, a write or DDL, never an ordinary sentence that starts with "Select". */
const SQL = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b/,
  /\bUPDATE\s+[\w."`]+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\b(CREATE|DROP|ALTER)\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b/,
  /\bPRAGMA\s+\w+\s*(=|\()/,
];

const looksLikeSql = (text) => SQL.some((re) => re.test(text));

const textOf = (node) => {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' ? ');
  return null;
};

/** The last name of an object expression: db, this.db, ctx.db, o.db -> "db". */
const nameOf = (node) => {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  return null;
};

const MESSAGE =
  'SQL belongs in electron/core/store/ or a *repository.ts file: move this {{what}} into the repository of the domain that owns the table.';

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Firebreak’s own database is reached only from store/ and repository files' },
    schema: [],
    messages: { sql: MESSAGE },
  },
  create(context) {
    const reported = new WeakSet();
    const report = (node, what) => {
      reported.add(node);
      context.report({ node, messageId: 'sql', data: { what } });
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
        const method = callee.property.name;
        const first = node.arguments[0];
        if (ALWAYS.has(method) || (ON_DB.has(method) && DB_NAME.test(nameOf(callee.object) ?? ''))) {
          if (first) reported.add(first);
          report(node, `database call (.${method})`);
        }
      },
      Literal(node) {
        if (!reported.has(node) && typeof node.value === 'string' && looksLikeSql(node.value)) report(node, 'SQL text');
      },
      TemplateLiteral(node) {
        if (!reported.has(node) && looksLikeSql(textOf(node))) report(node, 'SQL text');
      },
    };
  },
};
