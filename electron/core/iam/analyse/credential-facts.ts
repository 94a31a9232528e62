/**
 * Credential lifecycle facts for AC-2 from the credential report: key age, last use, console access, MFA. The report
 * records a key's last use only to the first use in any 15-minute span, and is at most 4 hours old when fetched; the
 * findings say so rather than imply more precision.
 */
import type { CredentialFact } from '../../../shared/iam';
import type { IamSnapshot } from '../sources/snapshot';

const DAY = 86_400_000;
/** AWS's own Trusted Advisor check flags keys older than 90 days. */
const ROTATION_DAYS = 90;

export function credentialFacts(s: IamSnapshot, users: readonly string[]): CredentialFact[] {
  const report = s.credentialReport;
  if (!report) return [];
  const at = report.generatedAt;
  const ref = at ? Date.parse(at) : Number.NaN;
  return report.rows
    .filter((r) => users.includes(r.arn))
    .map((r) => {
      const keys = r.accessKeys.map((k) => ({
        slot: k.slot,
        active: k.active,
        ageDays: k.lastRotated && Number.isFinite(ref) ? Math.floor((ref - Date.parse(k.lastRotated)) / DAY) : null,
        lastUsed: k.lastUsed,
        lastUsedService: k.lastUsedService,
      }));
      const findings: string[] = [];
      for (const k of keys.filter((x) => x.active)) {
        if (k.ageDays !== null && k.ageDays > ROTATION_DAYS) findings.push(`access key ${k.slot} is ${k.ageDays} days old (not rotated within ${ROTATION_DAYS} days)`);
        findings.push(
          k.lastUsed
            ? `access key ${k.slot} last used ${k.lastUsed}${k.lastUsedService ? ` (${k.lastUsedService})` : ''}; the report keeps only the first use in each 15-minute span`
            : `access key ${k.slot} is active and has never been used`,
        );
      }
      if (keys.filter((k) => k.active).length > 1) findings.push('two active access keys');
      if (r.passwordEnabled) findings.push(`console access for an agent identity (password enabled${r.mfaActive ? ', MFA on' : ', no MFA'})`);
      return { user: r.user, arn: r.arn, consoleAccess: r.passwordEnabled, mfaActive: r.mfaActive, keys, reportAt: at, findings };
    });
}
