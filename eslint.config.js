// One lint setup for the whole repository. The folder boundaries of STYLE.md are enforced here.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import sqlInRepositories from './eslint-rules/sql-in-repositories.js';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'zlib', 'url', 'worker_threads'];

/** Code that queries the databases being validated (or the sample's own copy), never Firebreak's store. */
const TARGET_DATABASES = ['electron/core/validation/adapters/**', 'electron/core/sample/sample-database.ts'];
/** Readers of database logs: their patterns spell the SQL they recognise in log text; they open no database. */
const DATABASE_LOG_READERS = ['electron/core/validation/logs/binlog-text.ts', 'electron/core/validation/logs/statement-kind.ts'];

const bare = (names, message) => names.map((name) => ({ name, message }));

const noOnly = { selector: "CallExpression[callee.property.name='only']", message: 'no .only in committed tests' };
/** zod's `z` export is a namespace object holding every locale: esbuild cannot shake it, a namespace import it can. */
const zodNamespace = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
  message: "import * as z from 'zod': the named z export bundles all of zod's locales into the CLI (300 KB parsed at every start)",
};
/** What the adapters may import of core: its entry, its errors and its paths. Everything else goes through the Api. */
const CORE_INTERNAL = '(^|/)core/(?!(index|warm|errors|paths)$)';
const CORE_DOOR = 'adapters reach core through its entry (core/index: openCore, then call), its warm-up (core/warm), errors and paths; everything else is an Api method.';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', noOnly, zodNamespace],
    },
  },
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'electron/shared is the contract: no Node modules.' },
          { regex: '^\\.\\./\\.\\./|^\\.\\./(core|main|preload|server|cli)/', message: 'electron/shared imports only itself.' },
        ],
        paths: bare(['electron', 'react', 'react-dom', 'better-sqlite3'], 'electron/shared imports nothing platform-specific.'),
      }],
    },
  },
  {
    files: ['electron/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^electron/', message: 'electron/core is plain Node: never import electron.' },
          { regex: '^(\\.\\./)+(main|preload|server|cli)/|/renderer/', message: 'core does not know its adapters.' },
        ],
        paths: bare(['electron'], 'electron/core is plain Node: never import electron.'),
      }],
    },
  },
  {
    // House rule 5: only store/ and repository files talk to Firebreak's database. Validation adapters and the sample's
    // damaged copy of Chinook query target databases, which are not Firebreak's store.
    files: ['electron/core/**/*.{ts,tsx}'],
    ignores: [
      'electron/core/store/**',
      'electron/core/**/*repository.ts',
      ...TARGET_DATABASES,
      ...DATABASE_LOG_READERS,
    ],
    plugins: { firebreak: { rules: { 'sql-in-repositories': sqlInRepositories } } },
    rules: { 'firebreak/sql-in-repositories': 'error' },
  },
  {
    files: ['electron/{cli,server,main,preload}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: CORE_INTERNAL, message: CORE_DOOR }] }],
      // import() too: the CLI loads core late, and only through the same door.
      'no-restricted-syntax': ['error', noOnly, zodNamespace, { selector: `ImportExpression[source.value=/${CORE_INTERNAL.replaceAll('/', '\\/')}/]`, message: CORE_DOOR }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'the renderer runs in a browser: no Node modules.' },
          { regex: '/electron/(core|main|preload|server|cli)(/|$)', message: 'the renderer imports only electron/shared.' },
        ],
        paths: bare(['electron', 'better-sqlite3', 'pg', 'mysql2'], 'the renderer talks only to the Api.'),
      }],
    },
  },
);
