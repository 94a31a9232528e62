/**
 * Passwords inside URLs: in the user-info (`postgres://admin:pw@host/db`) or in a query parameter (`?password=`,
 * `?sslpassword=`, `?pass=`). A URL given to Firebreak is recorded in the ledger, the reports and the bundle for good,
 * so one that carries a password is refused where it is given, and any an older record holds is redacted on export.
 */

/** Query parameters that carry a password in the drivers' URL forms (libpq, JDBC, MySQL Connector, ODBC). */
export const PASSWORD_PARAMS: readonly string[] = ['password', 'sslpassword', 'pass', 'passwd', 'pwd'];

const URL_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const isPasswordParam = (name: string) => PASSWORD_PARAMS.includes(name.toLowerCase());

/** What in the URL-looking parts of `value` holds a password, in words; undefined when none does. */
export function urlSecretProblem(value: string): string | undefined {
  for (const [token] of value.matchAll(URL_RE)) {
    let u: URL;
    try {
      u = new URL(token);
    } catch {
      // Not parseable as a URL, but a `user:pass@` prefix is still a password.
      if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(token)) return 'contains a password in its user-info (user:password@host)';
      continue;
    }
    if (u.password !== '') return 'contains a password in its user-info (user:password@host)';
    const param = [...u.searchParams.keys()].find(isPasswordParam);
    if (param !== undefined) return `contains a password in its query parameter "${param}"`;
  }
  return undefined;
}

/** `value` with every URL password replaced by ***: user-info passwords and password query parameters. */
export function redactUrlSecrets(value: string): string {
  return value.replace(URL_RE, (token) =>
    token
      // Greedy to the last @ of the authority: a password may itself hold @ (over-redacting is the safe side).
      .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@\s:]*):[^/\s]*@/i, '$1:***@')
      .replace(/([?&;])([^=&;#]+)=([^&;#]*)/g, (whole, sep: string, name: string) =>
        isPasswordParam(decodeName(name)) ? `${sep}${name}=***` : whole,
      ),
  );
}

const decodeName = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/** A copy of a JSON-like value with every string passed through redactUrlSecrets; unchanged parts are shared. */
export function redactUrlSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactUrlSecrets(value) as T;
  if (Array.isArray(value)) {
    const out = value.map((v: unknown) => redactUrlSecretsDeep(v));
    return (out.every((v, i) => v === value[i]) ? value : out) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = redactUrlSecretsDeep(v);
      if (out[k] !== v) changed = true;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
