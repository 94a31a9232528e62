import { useEffect, useState } from 'react';
import { runTargets, stepForRun } from '../../../electron/shared/playbook/run-steps';
import type { IncidentRun } from '../../../electron/shared/workflow';
import type { PasswordVaultState, ValidationResultBody, ValidationRun } from '../../../electron/shared/validation';
import { chooseFiles, errorText, hasNativeDialogs } from '../api/client';
import { useValidation } from '../stores/validation-store';
import { FileDrop } from './file-drop';
import { ClassifyResultView, RowDiffResultView } from './row-diff-result';

/** Evidence artifacts a diff or classification can be kept for: any the playbook asks for. */
const evidenceSteps = (run: IncidentRun) =>
  run.playbook.phases.flatMap((p) => p.steps.flatMap((s) => (s.kind === 'evidence' ? s.artifacts.map((a) => ({ id: a.id, title: a.name })) : [])));

type Action = 'baseline' | 'compare' | 'check-database' | 'check-backup' | 'diff' | 'classify';

/**
 * The Recovery wizard: point at the restored database, capture or pick a pre-incident baseline, run with per-table
 * progress, read the verdicts and deltas, re-run after fixes. Every run is kept, and its result is evidence.
 */
export function ValidationPanel({ run }: { run: IncidentRun }) {
  const mine = useValidation((s) => s.incidentId === run.incident.id);
  const status = useValidation((s) => (mine ? s.status : 'loading'));
  const error = useValidation((s) => s.error);
  const storedRuns = useValidation((s) => s.runs);
  const tables = useValidation((s) => s.tables);
  const storedActive = useValidation((s) => s.active);
  const storedShown = useValidation((s) => s.shown);
  // Until this incident is read, another incident's runs must not show.
  const runs = mine ? storedRuns : [];
  const active = mine ? storedActive : null;
  const shown = mine ? storedShown : null;
  const vault = useValidation((s) => s.vault);
  const load = useValidation((s) => s.load);
  const loadVault = useValidation((s) => s.loadVault);
  const rememberPassword = useValidation((s) => s.rememberPassword);
  const forgetPassword = useValidation((s) => s.forgetPassword);
  const listTables = useValidation((s) => s.listTables);
  const startRun = useValidation((s) => s.start);
  const cancel = useValidation((s) => s.cancel);
  const show = useValidation((s) => s.show);
  const importBaseline = useValidation((s) => s.importBaseline);
  // A compare checks production; a baseline is captured from the known-good (restored) backup.
  const defaultUrl = (a: Action) =>
    (a === 'baseline' ? run.incident.params.restore_database_url : run.incident.params.production_database_url) ??
    run.incident.params.production_database_url ??
    run.incident.params.restore_database_url ??
    '';
  const [url, setUrl] = useState(defaultUrl('compare'));
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const server = useServerOf(url);
  const [action, setActionState] = useState<Action>('compare');
  const defaultStep = (a: Action) => (a === 'diff' || a === 'classify' ? '' : (stepForRun(run.playbook, a) ?? ''));
  const [step, setStep] = useState(defaultStep('compare'));
  // The diff's reference: the backup, restored somewhere.
  const [referenceUrl, setReferenceUrl] = useState(run.incident.params.restore_database_url ?? '');
  const [referencePassword, setReferencePassword] = useState('');
  const [classifyLoss, setClassifyLoss] = useState(true);
  const recordFor = action === 'diff' || action === 'classify' ? evidenceSteps(run) : runTargets(run.playbook, action);
  const setAction = (a: Action) => {
    // Follow the action's natural target unless the responder typed another.
    if (url === defaultUrl(action)) setUrl(defaultUrl(a));
    // And the step it completes: a backup check is not recorded for the compare step.
    if (step === defaultStep(action)) setStep(defaultStep(a));
    setActionState(a);
  };
  const [baselineRunId, setBaselineRunId] = useState('');
  const [chosenTables, setChosenTables] = useState<string[]>([]);

  const [backupPath, setBackupPath] = useState('');
  const [expectedSha, setExpectedSha] = useState('');
  const incidentId = run.incident.id;
  useEffect(() => {
    void load(incidentId);
    void loadVault();
  }, [incidentId, load, loadVault]);
  const [pickError, setPickError] = useState<string | null>(null);
  /** Desktop app: the OS dialog fills the backup path, or a sqlite: URL. */
  const browse = (purpose: 'backup' | 'sqlite') => {
    setPickError(null);
    chooseFiles(purpose).then(
      (chosen) => {
        const path = chosen?.[0];
        if (!path) return;
        if (purpose === 'backup') setBackupPath(path);
        else setUrl(`sqlite:${path}`);
      },
      (e) => setPickError(errorText(e)),
    );
  };
  const remembered = server ? vault?.entries.find((e) => e.server === server) : undefined;

  /** Remembers the typed password first when asked to (the server must accept it), then goes on without retyping. */
  const withRemembered = async (go: (password: string) => void) => {
    if (remember && password && vault?.available) {
      if (!(await rememberPassword(url, password))) return;
      setRemember(false);
      setPassword('');
    }
    go(password);
  };

  const baselines = runs.filter((r) => (r.kind === 'baseline' || r.kind === 'import') && r.status === 'done');
  const pickedBaseline = baselineRunId || baselines[0]?.id || '';
  const linkedSteps = step ? [step] : [];
  // An imported file is a baseline: it completes the baseline step, whatever the action chosen above.
  const baselineStep = stepForRun(run.playbook, 'baseline');
  const importSteps = baselineStep ? [baselineStep] : [];
  const running = active?.status === 'running';
  const canStart =
    !running &&
    (action === 'check-backup' ? Boolean(backupPath.trim()) : Boolean(url.trim())) &&
    (action !== 'compare' || Boolean(pickedBaseline)) &&
    (action !== 'diff' || Boolean(referenceUrl.trim()));

  const start = () => {
    if (action === 'check-backup') void startRun({ kind: action, path: backupPath.trim(), linkedSteps, ...(expectedSha.trim() ? { expectedSha256: expectedSha.trim() } : {}) });
    else if (action === 'compare') void withRemembered((pw) => void startRun({ kind: action, url, password: pw, baselineRunId: pickedBaseline, linkedSteps }));
    else if (action === 'diff')
      void withRemembered((pw) => void startRun({ kind: action, referenceUrl: referenceUrl.trim(), referencePassword, url, password: pw, classify: classifyLoss, linkedSteps }));
    else if (action === 'baseline') void withRemembered((pw) => void startRun({ kind: action, url, password: pw, tables: chosenTables, linkedSteps }));
    else void withRemembered((pw) => void startRun({ kind: action, url, password: pw, linkedSteps }));
  };

  return (
    <section className="card" data-testid="validation-panel" data-state={status}>
      <h2>Restore validation</h2>
      <p className="hint">
        Prove the restored data whole against a pre-incident baseline: row counts, an order-independent content checksum and the schema, per table.
        Firebreak only reads (read-only transactions). A password is used for the run and never written to the case record; the desktop app can
        remember it in the OS keychain if you ask.
      </p>
      <div className="wizard">
        <label>
          What to do
          <select value={action} onChange={(e) => setAction(e.target.value as Action)} data-testid="validation-action">
            <option value="compare">Compare a database with a baseline</option>
            <option value="baseline">Capture a baseline</option>
            <option value="check-database">Check a database's integrity</option>
            <option value="check-backup">Check a backup file</option>
            <option value="diff">Diff against the backup</option>
            <option value="classify">Personal data in the loss</option>
          </select>
        </label>
        {action === 'diff' && (
          <>
            <label>
              Backup, restored (the reference) <span className="sub">rows in it and not in the database below are missing</span>
              <input value={referenceUrl} onChange={(e) => setReferenceUrl(e.target.value)} data-testid="validation-reference-url" autoComplete="off" />
            </label>
            <label>
              Its password <span className="sub">(used for this run only)</span>
              <input type="password" value={referencePassword} onChange={(e) => setReferencePassword(e.target.value)} autoComplete="off" data-testid="validation-reference-password" />
            </label>
            <label className="choice">
              <input type="checkbox" checked={classifyLoss} onChange={(e) => setClassifyLoss(e.target.checked)} data-testid="validation-diff-classify" />
              Also find personal data in the lost rows and count the people they touch
            </label>
          </>
        )}
        {action === 'check-backup' ? (
          <>
            <label>
              Backup file (a path on the machine running Firebreak)
              <span className="field-with-button">
                <input value={backupPath} onChange={(e) => setBackupPath(e.target.value)} placeholder="/backups/orders-2026-04-30.dump" data-testid="validation-backup-path" />
                {hasNativeDialogs() && (
                  <button type="button" onClick={() => browse('backup')} data-testid="validation-browse-backup">
                    Browse…
                  </button>
                )}
              </span>
            </label>
            <label>
              Recorded SHA-256 <span className="sub">(optional)</span>
              <input value={expectedSha} onChange={(e) => setExpectedSha(e.target.value)} className="mono" data-testid="validation-expected-sha256" />
            </label>
          </>
        ) : (
          <>
            <label>
              Database URL <span className="sub">postgres://user@host/db, mysql://user@host/db, sqlite:/path/file.db or dynamodb://region/table (AWS credentials from the default chain)</span>
              <span className="field-with-button">
                <input value={url} onChange={(e) => setUrl(e.target.value)} data-testid="validation-url" autoComplete="off" />
                {hasNativeDialogs() && (
                  <button type="button" onClick={() => browse('sqlite')} data-testid="validation-browse-sqlite">
                    SQLite file…
                  </button>
                )}
              </span>
            </label>
            <label>
              Password{' '}
              <span className="sub" title={vault?.reason ?? undefined}>
                {passwordHint({ typed: password !== '', remember, usableRemembered: Boolean(remembered?.usable), inUrl: urlHasPassword(url) })}
              </span>
              <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" data-testid="validation-password" />
            </label>
            <RememberedPassword vault={vault} server={server} remember={remember} canRemember={Boolean(password)} onRemember={setRemember} onForget={(s) => void forgetPassword(s)} />
          </>
        )}
        {action === 'compare' && (
          <label>
            Baseline
            {baselines.length ? (
              <select value={pickedBaseline} onChange={(e) => setBaselineRunId(e.target.value)} data-testid="validation-baseline">
                {baselines.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.id} {b.kind === 'import' ? 'imported' : 'captured'} {new Date(b.startedAt).toUTCString()} {b.target ?? ''}
                  </option>
                ))}
              </select>
            ) : (
              <span className="warn block">No baseline yet: capture one, or import a baseline file below.</span>
            )}
          </label>
        )}
        {action === 'baseline' && (
          <div>
            <button type="button" onClick={() => void withRemembered((pw) => void listTables(url, pw))} disabled={!url.trim() || status === 'busy'} data-testid="validation-list-tables">
              List tables
            </button>{' '}
            <span className="sub">(optional: all user tables are captured when none is chosen)</span>
            {tables && (
              <div className="table-pick">
                {tables.engine} {tables.serverVersion}:{' '}
                {tables.tables.map((t) => (
                  <label key={t.table} className="choice">
                    <input
                      type="checkbox"
                      checked={chosenTables.includes(t.table)}
                      onChange={() => setChosenTables((c) => (c.includes(t.table) ? c.filter((x) => x !== t.table) : [...c, t.table]))}
                      data-testid="validation-table"
                      data-table={t.table}
                    />
                    {t.table}
                  </label>
                ))}
              </div>
            )}
          </div>
        )}
        <label>
          Record it for step
          <select value={step} onChange={(e) => setStep(e.target.value)} data-testid="validation-step">
            <option value="">no step</option>
            {recordFor.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="button" className="primary" disabled={!canStart} onClick={start} data-testid="validation-start">
            Run
          </button>
        </div>
        <FileDrop label="Or import a baseline file (Firebreak manifest JSON, or a CSV of table,rows)" onFiles={(f) => f[0] && void importBaseline(f[0], importSteps)} testId="validation-import" />
      </div>
      {(error ?? pickError) && (
        <p className="error" role="alert" data-testid="validation-error">
          {error ?? pickError}
        </p>
      )}
      {active && <RunProgressView run={active} onCancel={() => void cancel()} />}
      {shown && <ResultView run={shown.run} body={shown.body} incident={run} />}
      <h3>History</h3>
      {runs.length === 0 ? (
        <p className="hint">No validation run yet.</p>
      ) : (
        <table className="grid" data-testid="validation-history">
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="validation-run" data-verdict={r.verdict ?? r.status}>
                <td className="mono id">
                  <button type="button" className="link" onClick={() => void show(r)} disabled={r.status !== 'done'} data-testid="validation-run-show">
                    {r.id}
                  </button>
                </td>
                <td>{r.kind}</td>
                <td className={r.verdict === 'match' || r.verdict === 'ok' ? 'ok' : r.verdict === 'mismatch' || r.verdict === 'problem' ? 'error-text' : ''}>
                  {r.verdict ?? r.status}
                </td>
                <td className="small">{r.summary ?? r.error ?? ''}</td>
                <td className="small">{new Date(r.startedAt).toUTCString()}, {r.startedBy.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** `scheme://user:password@…`: a password in the URL wins over the field and the remembered one. */
const urlHasPassword = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(url.trim());

function passwordHint(p: { typed: boolean; remember: boolean; usableRemembered: boolean; inUrl: boolean }): string {
  if (p.inUrl) return '(the URL carries one, and it is used)';
  if (p.typed && p.remember) return '(sealed by the OS keychain once the server accepts it)';
  if (!p.typed && p.usableRemembered) return '(leave empty to use the remembered one)';
  return '(used for this run only)';
}

/** The server and user a URL's password belongs to, as the vault names it; null while the URL is incomplete or SQLite. */
function useServerOf(url: string): string | null {
  const describeTarget = useValidation((s) => s.describeTarget);
  const server = useValidation((s) => (s.described?.url === url ? s.described.server : null));
  useEffect(() => {
    if (!url.trim()) return;
    // Asked once typing pauses, not per keystroke.
    const t = setTimeout(() => void describeTarget(url), 250);
    return () => clearTimeout(t);
  }, [url, describeTarget]);
  return url.trim() ? server : null;
}

/** Offers to remember the typed password (desktop app with an OS keychain), or shows the one remembered for this server. */
function RememberedPassword(p: {
  vault: PasswordVaultState | null;
  server: string | null;
  remember: boolean;
  canRemember: boolean;
  onRemember: (on: boolean) => void;
  onForget: (server: string) => void;
}) {
  if (!p.vault?.available || !p.server) return null;
  const entry = p.vault.entries.find((e) => e.server === p.server);
  return (
    <div className="remembered" data-testid="validation-remembered">
      {entry && (
        <p className={entry.usable ? 'sub' : 'warn'}>
          {entry.usable
            ? `A password is remembered for ${entry.server} (${p.vault.protection}), since ${new Date(entry.rememberedAt).toUTCString()}, by ${entry.rememberedBy}.`
            : `The password remembered for ${entry.server} cannot be used here: ${entry.problem ?? 'unreadable'}.`}{' '}
          <button type="button" className="link" onClick={() => p.onForget(entry.server)} data-testid="validation-forget-password">
            Forget it
          </button>
        </p>
      )}
      {p.canRemember && (
        <label className="choice">
          <input type="checkbox" checked={p.remember} onChange={(e) => p.onRemember(e.target.checked)} data-testid="validation-remember-password" />
          {entry ? 'Replace the remembered password with this one' : `Remember this password for ${p.server} on this computer (${p.vault.protection})`}
        </label>
      )}
    </div>
  );
}

function RunProgressView({ run, onCancel }: { run: ValidationRun; onCancel: () => void }) {
  const p = run.progress;
  return (
    <div className="progress-box" data-testid="validation-progress" data-status={run.status}>
      <strong>
        {run.id} {run.kind} {run.status}
      </strong>
      {p && (
        <>
          <progress max={p.tablesTotal || 1} value={p.tablesDone} /> {p.tablesDone}/{p.tablesTotal} tables {p.currentTable ? `· reading ${p.currentTable}` : ''}
        </>
      )}
      {run.status === 'running' && (
        <button type="button" onClick={onCancel} data-testid="validation-cancel">
          Cancel
        </button>
      )}
      {run.error && <div className="error-text">{run.error}</div>}
    </div>
  );
}

function verdictLine(run: ValidationRun): string {
  const against = run.kind === 'diff' ? 'the backup' : 'the baseline';
  if (run.kind === 'classify') return 'personal data in the database';
  if (run.verdict === 'match') return run.kind === 'diff' ? 'the same rows as the backup' : `the database matches ${against}`;
  if (run.verdict === 'mismatch') return run.kind === 'diff' ? 'rows differ from the backup' : `the database does NOT match ${against}`;
  return run.verdict ?? run.status;
}

function ResultView({ run, body, incident }: { run: ValidationRun; body: ValidationResultBody; incident: IncidentRun }) {
  return (
    <div className="result" data-testid="validation-result" data-verdict={run.verdict ?? ''}>
      <h3>
        {run.id}: {verdictLine(run)}
      </h3>
      {run.summary && <p>{run.summary}</p>}
      {body.kind === 'compare' && (
        <>
          {body.result.notes.map((n) => (
            <p key={n} className="warn">
              {n}
            </p>
          ))}
          <table className="grid">
            <thead>
              <tr>
                <th>Table</th>
                <th>Status</th>
                <th>Baseline rows</th>
                <th>Rows now</th>
                <th>Delta</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {body.result.tables.map((t) => (
                <tr key={t.table} data-testid="compare-row" data-status={t.status} className={t.status === 'match' ? '' : 'bad-row'}>
                  <td className="mono">{t.table}</td>
                  <td>{t.status}</td>
                  <td>{t.baselineRows ?? ''}</td>
                  <td>{t.actualRows ?? ''}</td>
                  <td>{t.delta ? (t.delta > 0 ? `+${t.delta}` : t.delta) : ''}</td>
                  <td className="small">{[t.message, ...t.schemaDrift].filter(Boolean).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {body.result.objects && body.result.objects.length > 0 && (
            <table className="grid" data-testid="compare-objects">
              <thead>
                <tr>
                  <th>View, routine, trigger or sequence</th>
                  <th>Kind</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {body.result.objects.map((o) => (
                  <tr key={`${o.kind} ${o.name}`} data-testid="compare-object" data-status={o.status} className={o.status === 'match' ? '' : 'bad-row'}>
                    <td className="mono">{o.name}</td>
                    <td>{o.kind}</td>
                    <td>{o.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {(body.kind === 'baseline' || body.kind === 'import') && (
        <p>
          {body.manifest.tables.length} tables, {body.manifest.tables.reduce((n, t) => n + (t.rows ?? 0), 0)} rows; checksum algorithm{' '}
          {body.manifest.checksumAlgorithm ?? 'none (counts only)'}.
        </p>
      )}
      {body.kind === 'diff' && <RowDiffResultView runId={run.id} diff={body.diff} run={incident} />}
      {body.kind === 'classify' && <ClassifyResultView runId={run.id} classify={body.classify} run={incident} />}
      {body.kind === 'check-database' && <p>{body.check.ok ? 'No problem found.' : body.check.messages.join('; ')}</p>}
      {body.kind === 'check-backup' && (
        <p>
          SHA-256 {body.check.sha256}
          {body.check.sha256Match === null ? '' : body.check.sha256Match ? ' matches the recorded value' : ' DOES NOT match the recorded value'}.{' '}
          {body.check.sqlDump && (
            <span data-testid="sql-dump-check">
              Plain SQL dump{body.check.sqlDump.tool ? ` by ${body.check.sqlDump.tool}` : ''}: {body.check.sqlDump.statements} statements,{' '}
              {body.check.sqlDump.balanced ? 'balanced' : 'NOT balanced'}, completion line {body.check.sqlDump.trailer ? 'present' : 'MISSING'}.{' '}
            </span>
          )}
          {body.check.problems.join('; ')}
        </p>
      )}
      {run.evidenceId && <p className="sub">Saved as evidence {run.evidenceId} (sha256 {run.resultSha256?.slice(0, 16)}…).</p>}
    </div>
  );
}
