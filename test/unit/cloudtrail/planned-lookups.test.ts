import { describe, expect, it } from 'vitest';
import { loadHighRiskTable } from '../../../electron/core/cloudtrail/analyse/high-risk-load';
import { loadIncidentRiskTable } from '../../../electron/core/cloudtrail/analyse/incident-risk-table';
import { plannedLookups } from '../../../electron/core/cloudtrail/collect/pull';
import { repoRoot } from '../../helpers/core';

describe('CloudTrail pull with the Azure and GCP rows in the incident table', () => {
  it('looks up only CloudTrail event names, exactly as with the CloudTrail table alone', () => {
    const incident = plannedLookups(['arn:aws:iam::111122223333:role/ops-agent'], loadIncidentRiskTable(repoRoot));
    expect(incident).toEqual(plannedLookups(['arn:aws:iam::111122223333:role/ops-agent'], loadHighRiskTable(repoRoot)));
    expect(incident.some(([, v]) => /^Microsoft\.|googleapis|\.v1\./.test(v))).toBe(false);
    expect(incident).toContainEqual(['Username', 'ops-agent']);
  });
});
