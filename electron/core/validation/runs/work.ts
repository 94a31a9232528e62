import type { EvidenceSourceKind } from '../../../shared/evidence';
import type { DbEngine, RunProgress, ValidationVerdict } from '../../../shared/validation';

/** A finished run's document (saved as evidence, byte for byte) and what the history shows of it. */
export interface WorkOutcome {
  body: string;
  engine: DbEngine | null;
  verdict: ValidationVerdict;
  summary: string;
  evidenceName: string;
  sourceKind: EvidenceSourceKind;
  /** Extra ledger fields, e.g. the tables that differ. */
  record: Record<string, unknown>;
}

export interface WorkContext {
  runId: string;
  signal: AbortSignal;
  onProgress: (p: RunProgress) => void;
  nativeBinding: string | undefined;
  now: () => Date;
  /** Takes a file the work wrote (a diff's key list) in as evidence of the run's incident. */
  keep: (path: string, name: string, description: string) => Promise<{ id: string; name: string }>;
}
