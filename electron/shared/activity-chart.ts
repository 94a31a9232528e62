import type { ActivityChartData, CloudName } from './cloudlogs';

/**
 * The per-identity activity chart as geometry: step lines of calls per second (the busiest second of each bucket, so a
 * burst stands out however long the incident), destructive calls as marks, all clouds on one time axis. The app and
 * the incident report draw the same model as SVG, so they show the same chart.
 */
export interface ActivityChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  series: Array<{ principal: string; label: string; cloud: CloudName; agent: boolean; color: string; path: string; calls: number; peakPerSecond: number }>;
  marks: Array<{ x: number; y: number; color: string; title: string }>;
  /** "per second" or "busiest second per 5 min": what the height of a line means. */
  yTitle: string;
  empty: boolean;
}

/** Colours apart for the first identities (agents come first); readable on white and in print. */
const PALETTE = ['#c0392b', '#1f6feb', '#2e8540', '#8e44ad', '#d35400', '#16a085', '#7f6000', '#5d6d7e'];
const CLOUD_NAME: Record<CloudName, string> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' };

const two = (n: number) => String(n).padStart(2, '0');
function timeLabel(sec: number, span: number): string {
  const d = new Date(sec * 1000);
  const hms = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${span < 3600 ? `:${two(d.getUTCSeconds())}` : ''}`;
  return span > 86_400 ? `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${hms}` : hms;
}

function bucketText(seconds: number): string {
  if (seconds === 1) return 'calls per second';
  if (seconds < 120) return `busiest second per ${seconds} s`;
  if (seconds < 7200) return `busiest second per ${Math.round(seconds / 60)} min`;
  return `busiest second per ${Math.round(seconds / 3600)} h`;
}

/** A round step for about `count` ticks over `max`. */
function niceStep(max: number, count: number): number {
  const raw = Math.max(max, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

export const seriesName = (s: { label: string; cloud: CloudName; agent: boolean }): string => `${s.agent ? 'agent ' : ''}${s.label} (${CLOUD_NAME[s.cloud]})`;

export function activityChartModel(d: ActivityChartData, width = 1100, height = 260): ActivityChartModel {
  const plot = { left: 52, top: 12, right: width - 12, bottom: height - 28 };
  const span = Math.max(1, d.end - d.start + d.bucketSeconds);
  const peak = Math.max(1, ...d.series.map((s) => s.peakPerSecond));
  const yStep = niceStep(peak, 4);
  const yMax = Math.ceil(peak / yStep) * yStep;
  const x = (t: number) => plot.left + ((t - d.start) / span) * (plot.right - plot.left);
  const y = (v: number) => plot.bottom - (v / yMax) * (plot.bottom - plot.top);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const xStep = niceStep(span, 6);
  const xTicks: ActivityChartModel['xTicks'] = [];
  for (let t = Math.ceil(d.start / xStep) * xStep; t <= d.start + span; t += xStep) xTicks.push({ x: r1(x(t)), label: timeLabel(t, span) });
  const yTicks: ActivityChartModel['yTicks'] = [];
  for (let v = 0; v <= yMax; v += yStep) yTicks.push({ y: r1(y(v)), label: String(v) });
  const marks: ActivityChartModel['marks'] = [];
  const series = d.series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    // A step line that drops to zero between buckets without calls, so quiet stretches read as quiet.
    const parts: string[] = [`M${r1(plot.left)} ${r1(y(0))}`];
    let lastEnd = d.start;
    for (const p of s.points) {
      if (p.t > lastEnd) parts.push(`H${r1(x(p.t))}`);
      parts.push(`V${r1(y(p.peak))}`, `H${r1(x(p.t + d.bucketSeconds))}`, `V${r1(y(0))}`);
      lastEnd = p.t + d.bucketSeconds;
      if (p.destructive > 0) {
        marks.push({ x: r1(x(p.t + d.bucketSeconds / 2)), y: r1(y(p.peak)), color, title: `${seriesName(s)}: ${p.destructive} destructive call${p.destructive === 1 ? '' : 's'} at ${timeLabel(p.t, 0)} UTC` });
      }
    }
    parts.push(`H${r1(plot.right)}`);
    return { principal: s.principal, label: s.label, cloud: s.cloud, agent: s.agent, color, path: parts.join(' '), calls: s.calls, peakPerSecond: s.peakPerSecond };
  });
  return { width, height, plot, xTicks, yTicks, series, marks, yTitle: bucketText(d.bucketSeconds), empty: d.series.length === 0 };
}
