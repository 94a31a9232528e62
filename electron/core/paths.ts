import { homedir } from 'node:os';
import { join } from 'node:path';

/** The OS per-user data directory, as Electron's app.getPath('userData') would place it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FIREBREAK_DATA_DIR) return env.FIREBREAK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Firebreak');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Firebreak');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'firebreak');
}
