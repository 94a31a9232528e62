import { activityOfVerb } from '../cloudtrail/model/cloud-event';

/** Statements and commands in a tool's arguments that destroy, whatever the tool is called (run_sql, shell, aws_cli). */
const DESTRUCTIVE_ARGUMENTS: readonly { re: RegExp; why: string }[] = [
  { re: /\bdrop\s+(table|database|schema|index|view)\b/i, why: 'SQL DROP in its arguments' },
  { re: /\btruncate\s+(table\s+)?[\w".`]+/i, why: 'SQL TRUNCATE in its arguments' },
  { re: /\bdelete\s+from\b/i, why: 'SQL DELETE in its arguments' },
  { re: /\brm\s+-[a-z]*[rf]/i, why: 'rm -r/-f in its arguments' },
  { re: /\baws\s+[\w-]+\s+(delete|terminate|remove|purge|deregister)-[\w-]+/i, why: 'an AWS CLI delete in its arguments' },
  { re: /\b(az|gcloud)\b[^"\n]*\s(delete|remove)\b/i, why: 'an Azure or gcloud delete in its arguments' },
  { re: /\bterraform\s+destroy\b/i, why: 'terraform destroy in its arguments' },
];

/** The words of a tool or operation name: delete_db_instance, deleteDBInstance and delete-db-instance all give delete, db, instance. */
export const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());

/** Why a tool call destroys (its name's verb is a delete, or its arguments carry a destructive command), or null. */
export function destructiveBecause(tool: string, args: string | null): string | null {
  const verb = wordsOf(tool).find((w) => activityOfVerb(w) !== 'other');
  if (verb && activityOfVerb(verb) === 'delete') return `its name says ${verb}`;
  for (const { re, why } of DESTRUCTIVE_ARGUMENTS) if (args && re.test(args)) return why;
  return null;
}
