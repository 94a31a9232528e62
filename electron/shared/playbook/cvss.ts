/** CVSS v3.1 base score from a vector (FIRST specification, section 7.1), so lint can check a score against its vector. */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Rounds up to one decimal the way the specification does, avoiding floating-point surprises. */
function roundUp(x: number): number {
  const scaled = Math.round(x * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** The base score of a `CVSS:3.1/AV:../...` vector, or undefined when the vector is not a complete v3.1 base vector. */
export function cvss31BaseScore(vector: string): number | undefined {
  const metrics = new Map(
    vector
      .split('/')
      .slice(1)
      .map((part) => part.split(':') as [string, string]),
  );
  const get = (k: string) => metrics.get(k) ?? '';
  const av = WEIGHTS.AV[get('AV') as keyof typeof WEIGHTS.AV];
  const ac = WEIGHTS.AC[get('AC') as keyof typeof WEIGHTS.AC];
  const ui = WEIGHTS.UI[get('UI') as keyof typeof WEIGHTS.UI];
  const scope = get('S');
  const [c, i, a] = ['C', 'I', 'A'].map((k) => WEIGHTS.CIA[get(k) as keyof typeof WEIGHTS.CIA]);
  const changed = scope === 'C';
  const prWeights: Record<string, number> = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 };
  const pr = prWeights[get('PR')];
  if (!vector.startsWith('CVSS:3.1/') || (scope !== 'U' && !changed)) return undefined;
  const weights = [av, ac, ui, pr, c, i, a];
  if (weights.some((w) => w === undefined)) return undefined;
  const [wAV, wAC, wUI, wPR, wC, wI, wA] = weights as number[] as [number, number, number, number, number, number, number];
  const iss = 1 - (1 - wC) * (1 - wI) * (1 - wA);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * wAV * wAC * wPR * wUI;
  return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}
