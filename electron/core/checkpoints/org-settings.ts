import { SETTING_KEYS, type SettingKey, type Settings } from '../../shared/checkpoints';
import type { Db } from '../store/database';
import { SettingsRepository } from '../store/settings-repository';

// Organisation settings share the settings table with the operator and evidence options, under a prefix of their own.
const storedKey = (key: SettingKey) => `org.${key}`;

/** The organisation's settings (the TSA checkpoints are time-stamped by), null where unset. */
export function orgSettings(db: Db): Settings {
  const stored = new SettingsRepository(db);
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, stored.get(storedKey(k)) ?? null])) as Settings;
}

/** Sets or (with null) clears one; runs inside the caller's change, beside its ledger entry. */
export function putOrgSetting(db: Db, key: SettingKey, value: string | null): void {
  const stored = new SettingsRepository(db);
  if (value === null) stored.delete(storedKey(key));
  else stored.put(storedKey(key), value);
}
