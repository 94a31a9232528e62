/** A span of seconds as a person reads it: seconds under two minutes, minutes under two hours, then hours. */
export const duration = (s: number): string => (s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);
