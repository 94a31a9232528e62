import type { CloudText, TimelineRepository } from './timeline-repository';

/**
 * Up to this many matching values, each is walked down its own index and the walks merged (at most this many times a
 * page of index entries); more matches are dense enough for one walk in time order to fill a page soon.
 */
const MAX_WALKS = 64;
/**
 * More distinct values than this in a column and the search tests every call's text instead (exact, but it reads the
 * whole covering index when little matches). 50,000 identities, the largest incident measured, stay below it.
 */
const MAX_DISTINCT = 100_000;

interface Dictionary {
  version: string;
  names: string[] | null;
  principals: string[] | null;
  errors: string[] | null;
}

/**
 * The cloud text search ("event name, principal, error code contain the text, or the event id is it") turned into
 * index walks: the incident's distinct event names, principals and error codes are few (hundreds where the calls are a
 * million), so the text is matched against them and each match becomes an equality the indexes answer. The distinct
 * values are read once per change of the database, not per keystroke.
 */
export class CloudTextSearch {
  private readonly dictionaries = new Map<string, Dictionary>();

  constructor(private readonly repo: TimelineRepository) {}

  private dictionary(incidentId: string): Dictionary {
    const version = this.repo.version();
    const cached = this.dictionaries.get(incidentId);
    if (cached?.version === version) return cached;
    const d: Dictionary = {
      version,
      names: this.repo.distinctCloudValues(incidentId, 'event_name', MAX_DISTINCT),
      principals: this.repo.distinctCloudValues(incidentId, 'principal', MAX_DISTINCT),
      errors: this.repo.distinctCloudValues(incidentId, 'error_code', MAX_DISTINCT),
    };
    this.dictionaries.set(incidentId, d);
    return d;
  }

  /** How to walk the calls whose text matches: several single-value walks, one walk with lists, or a scan. */
  plan(incidentId: string, text: string): CloudText[] {
    const d = this.dictionary(incidentId);
    if (d.names === null || d.principals === null || d.errors === null) return [{ kind: 'scan', text }];
    // instr(lower(x), lower(text)) in SQLite lowers ASCII only; so does this.
    const needle = asciiLower(text);
    const hit = (values: string[]) => values.filter((v) => asciiLower(v).includes(needle));
    const names = hit(d.names);
    const principals = hit(d.principals);
    const errors = hit(d.errors);
    if (names.length + principals.length + errors.length + 1 > MAX_WALKS) return [{ kind: 'lists', names, principals, errors, eventId: text }];
    return [
      ...names.map((value): CloudText => ({ kind: 'value', column: 'event_name', value })),
      ...principals.map((value): CloudText => ({ kind: 'value', column: 'principal', value })),
      ...errors.map((value): CloudText => ({ kind: 'value', column: 'error_code', value })),
      { kind: 'value', column: 'event_id', value: text },
    ];
  }
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
