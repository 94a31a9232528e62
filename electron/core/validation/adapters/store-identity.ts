import { parseTargetUrl, redactUrls } from './target-url';

/** A data store as the gates count it: one per engine, host, port and database (or SQLite file), whatever the URL's spelling. */
export interface StoreIdentity {
  /** Equal for two URLs naming the same database: user, password, TLS options and scheme aliases left out. */
  key: string;
  /** How messages and statements name it: the URL without its password. */
  label: string;
}

/**
 * The identity of a run's recorded target (the URL without password) or of a rendered parameter. Text that is not a
 * database URL (an imported baseline's file name) is its own identity, so it never stands in for a real store.
 */
export function storeIdentity(target: string): StoreIdentity {
  try {
    // No environment: the identity must not depend on who reads it.
    const t = parseTargetUrl(target, { env: {} });
    if (t.engine === 'sqlite') return { key: `sqlite:${t.path}`, label: t.display };
    if (t.engine === 'dynamodb') return { key: `dynamodb://${t.region}/${t.table ?? ''}${t.endpoint ? `@${t.endpoint}` : ''}`, label: t.display };
    return { key: `${t.engine}://${t.host.toLowerCase()}:${t.port}/${t.database}`, label: t.display };
  } catch {
    const label = redactUrls(target.trim());
    return { key: `unparsed:${label}`, label };
  }
}
