import type { OpenDialogOptions } from 'electron';
import { FILE_PURPOSES, type FilePurpose, isFilePurpose } from '../shared/contract/index';
import type { Result } from '../shared/result';

const ALL_FILES = { name: 'All files', extensions: ['*'] };

/**
 * The open dialog for each purpose the page may ask for. The page never passes options: a compromised page could
 * otherwise title a dialog to mislead, or ask for paths it has no business with. Nothing here can create, save or
 * overwrite; Windows and Linux cannot show files and folders in one dialog, hence two CloudTrail purposes.
 */
export function dialogOptionsFor(purpose: FilePurpose): OpenDialogOptions {
  switch (purpose) {
    case 'evidence':
      return { title: 'Add evidence files', buttonLabel: 'Add as evidence', properties: ['openFile', 'multiSelections', 'dontAddToRecent'], filters: [ALL_FILES] };
    case 'cloudtrail-files':
      return {
        title: 'Import CloudTrail export files',
        buttonLabel: 'Choose',
        properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
        filters: [{ name: 'CloudTrail exports (.json, .json.gz)', extensions: ['json', 'gz'] }, ALL_FILES],
      };
    case 'cloudtrail-folder':
      return { title: 'Import a folder of CloudTrail exports (e.g. AWSLogs/)', buttonLabel: 'Choose folder', properties: ['openDirectory', 'multiSelections', 'dontAddToRecent'] };
    case 'backup':
      return {
        title: 'Check a backup file',
        buttonLabel: 'Choose',
        properties: ['openFile', 'dontAddToRecent'],
        filters: [{ name: 'Backups', extensions: ['dump', 'backup', 'sql', 'gz', 'tar', 'db', 'sqlite', 'sqlite3'] }, ALL_FILES],
      };
    case 'sqlite':
      return {
        title: 'Choose a SQLite database',
        buttonLabel: 'Choose',
        properties: ['openFile', 'dontAddToRecent'],
        filters: [{ name: 'SQLite databases', extensions: ['db', 'sqlite', 'sqlite3', 'db3'] }, ALL_FILES],
      };
    case 'trace-files':
      return {
        title: "Import the agent's trace files",
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
        filters: [{ name: 'Agent traces (OpenTelemetry JSON, LangSmith runs)', extensions: ['json', 'jsonl', 'gz'] }, ALL_FILES],
      };
    case 'bundle':
      return { title: 'Verify a case bundle', buttonLabel: 'Verify', properties: ['openFile', 'dontAddToRecent'], filters: [{ name: 'Case bundles', extensions: ['zip'] }] };
  }
}

/**
 * One file-dialog request from the page: refused unless it came from our window, refused unless it names a known
 * purpose, and only then shown (by `show`, Electron's dialog.showOpenDialog on our window). The page learns only the
 * chosen paths; [] when the user cancelled.
 */
export async function answerFileDialog(
  purpose: unknown,
  trustedSender: boolean,
  show: (options: OpenDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>,
): Promise<Result<string[]>> {
  if (!trustedSender) return { ok: false, error: { code: 'bad-input', message: 'Refused: the request did not come from the Firebreak window.' } };
  if (!isFilePurpose(purpose)) {
    return { ok: false, error: { code: 'bad-input', message: `There is no file dialog for "${String(purpose)}"; ask for one of: ${FILE_PURPOSES.join(', ')}.` } };
  }
  const r = await show(dialogOptionsFor(purpose));
  return { ok: true, value: r.canceled ? [] : r.filePaths };
}
