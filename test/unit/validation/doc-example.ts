/**
 * The worked example of docs/validation-checksum.md: table (id int, name text, price decimal, active boolean,
 * note text) with two rows. Unit tests check the Node side; integration tests get the same checksum from PostgreSQL,
 * MariaDB and SQLite.
 */
export const DOC_EXAMPLE = {
  canonicalRows: [
    ['1', 'héllo', '1.5', '1', null],
    ['2', 'wörld', '0.99', '0', ''],
  ] as Array<Array<string | null>>,
  rowTexts: ['1:16:héllo3:1.51:1N', '1:26:wörld4:0.991:00:'],
  checksum: 'e824a56205c6115c',
};
