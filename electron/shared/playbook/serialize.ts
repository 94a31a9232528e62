/** Playbook data -> YAML text in the layout of the shipped playbooks (used to save imported playbooks). */
import { stringify } from 'yaml';

export function playbookToYaml(data: Record<string, unknown>, comment: readonly string[] = []): string {
  const header = comment.map((line) => `# ${line}\n`).join('');
  return header + stringify(data, { lineWidth: 120, minContentWidth: 40, aliasDuplicateObjects: false });
}
