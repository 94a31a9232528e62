import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SETTING_KEYS, type SettingKey, type Settings } from '../../shared/checkpoints';
import { type CliEnv, CliExit, EXIT } from '../env';

const show = (s: Settings) => SETTING_KEYS.map((k) => `${k}: ${s[k] === null ? '(not set)' : k === 'tsa-ca' ? `${(s[k] ?? '').split('BEGIN CERTIFICATE').length - 1} certificate(s)` : s[k]}\n`).join('');

function settingKey(key: string): SettingKey {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) throw new CliExit(EXIT.usage, `firebreak: there is no setting "${key}"; settings are ${SETTING_KEYS.join(', ')}`);
  return key as SettingKey;
}

export function registerSettingsCommands(program: Command, env: CliEnv): void {
  const settings = program.command('settings').description("the organisation's settings (each change is in the system ledger)");

  settings
    .command('get')
    .description('print the settings')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const s = await env.call('settings.get', {});
      if (o.json) return env.json(s);
      env.io.out(show(s));
    });

  settings
    .command('set')
    .description('tsa-url URL: time-stamp every checkpoint at this RFC 3161 TSA; tsa-ca FILE: its CA certificate(s), PEM, carried in bundles')
    .argument('<key>', SETTING_KEYS.join(' | '))
    .argument('<value>', 'the URL, or for tsa-ca the PEM file')
    .action(async (key: string, value: string) => {
      let v = value;
      if (key === 'tsa-ca') {
        try {
          v = readFileSync(value, 'utf8');
        } catch (e) {
          throw new CliExit(EXIT.usage, `firebreak: ${value} cannot be read: ${(e as Error).message}`);
        }
      }
      env.io.out(show(await env.call('settings.set', { key: settingKey(key), value: v })));
    });

  settings
    .command('unset')
    .description('clear a setting')
    .argument('<key>', SETTING_KEYS.join(' | '))
    .action(async (key: string) => {
      env.io.out(show(await env.call('settings.set', { key: settingKey(key), value: null })));
    });
}
