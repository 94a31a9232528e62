import type { ActivityChartData } from '../../../shared/cloudlogs';
import { activityChartModel, seriesName } from '../../../shared/activity-chart';

/**
 * The app's per-identity activity chart in the incident report: the same model drawn as inline SVG, which the HTML shows
 * and Chromium prints into the PDF as vectors.
 */
export function ActivityChartSvg({ data }: { data: ActivityChartData }) {
  const m = activityChartModel(data, 1000, 240);
  if (m.empty) return null;
  return (
    <figure className="activity-chart">
      <svg viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label={`Activity per identity, ${m.yTitle}`}>
        {m.yTicks.map((t) => (
          <g key={`y${t.y}`}>
            <line x1={m.plot.left} x2={m.plot.right} y1={t.y} y2={t.y} stroke="#ddd" />
            <text x={m.plot.left - 6} y={t.y + 4} textAnchor="end" fontSize="11">
              {t.label}
            </text>
          </g>
        ))}
        {m.xTicks.map((t) => (
          <text key={`x${t.x}`} x={t.x} y={m.height - 8} textAnchor="middle" fontSize="11">
            {t.label}
          </text>
        ))}
        {m.series.map((s) => (
          <path key={s.principal} d={s.path} fill="none" stroke={s.color} strokeWidth={s.agent ? 2 : 1.25} />
        ))}
        {m.marks.map((k) => (
          <circle key={`${k.x}-${k.y}-${k.color}`} cx={k.x} cy={k.y} r="4" fill={k.color} stroke="#000" strokeWidth="1.5">
            <title>{k.title}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="small">
        Activity per identity ({m.yTitle}, UTC); ringed dots are destructive calls.
        {data.identitiesNotShown > 0 ? ` ${data.identitiesNotShown} quieter identities not drawn.` : ''}
        <br />
        {m.series.map((s) => (
          <span key={s.principal} className="legend">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={s.color} />
            </svg>{' '}
            {seriesName(s)}: {s.calls} calls, up to {s.peakPerSecond}/s{' '}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
