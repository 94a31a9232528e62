import type { ActivityChartData } from '../../../electron/shared/cloudlogs';
import { activityChartModel, seriesName } from '../../../electron/shared/activity-chart';

/**
 * Calls per second of each identity over time, all clouds on one axis: a burst is a tall spike, destructive calls are
 * the dark-ringed marks on the lines. Drawn from the same model as the incident report's chart.
 */
export function ActivityChart({ data, status }: { data: ActivityChartData | null; status: string }) {
  const m = data ? activityChartModel(data) : null;
  return (
    <div className="card" data-testid="activity-chart" data-state={status} data-series={m?.series.length ?? 0} data-marks={m?.marks.length ?? 0}>
      <h2>Activity per identity</h2>
      {!m || m.empty ? (
        <p className="hint">No calls to chart yet.</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label={`Activity per identity, ${m.yTitle}`} className="activity-chart">
            {m.yTicks.map((t) => (
              <g key={`y${t.y}`}>
                <line x1={m.plot.left} x2={m.plot.right} y1={t.y} y2={t.y} stroke="#e3e6ea" />
                <text x={m.plot.left - 6} y={t.y + 4} textAnchor="end" fontSize="11" fill="#5d6d7e">
                  {t.label}
                </text>
              </g>
            ))}
            {m.xTicks.map((t) => (
              <text key={`x${t.x}`} x={t.x} y={m.height - 8} textAnchor="middle" fontSize="11" fill="#5d6d7e">
                {t.label}
              </text>
            ))}
            {m.series.map((s) => (
              <path key={s.principal} d={s.path} fill="none" stroke={s.color} strokeWidth={s.agent ? 2 : 1.25} data-testid="activity-series" data-principal={s.principal} data-cloud={s.cloud} />
            ))}
            {m.marks.map((k) => (
              <circle key={`${k.x}-${k.y}-${k.color}`} cx={k.x} cy={k.y} r="4.5" fill={k.color} stroke="#111" strokeWidth="1.5" data-testid="destructive-mark">
                <title>{k.title}</title>
              </circle>
            ))}
          </svg>
          <p className="small hint">
            {m.yTitle}, UTC; ringed dots are destructive calls.{data && data.identitiesNotShown > 0 ? ` ${data.identitiesNotShown} quieter identities not drawn.` : ''}
          </p>
          <ul className="chart-legend small">
            {m.series.map((s) => (
              <li key={s.principal} data-testid="activity-legend">
                <svg width="12" height="12" aria-hidden="true">
                  <rect width="12" height="12" fill={s.color} />
                </svg> {seriesName(s)}: {s.calls.toLocaleString()} calls, up to {s.peakPerSecond} per second
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
