/** The SP 800-53 controls Firebreak knows, read from the OSCAL catalog the app ships (resources/nist/). */

export interface ControlInfo {
  /** Catalog id: `ac-2`, `ac-2.1`. */
  id: string;
  /** As NIST prints it: `AC-2`, `AC-2(1)`. */
  label: string;
  title: string;
  /** Family title, e.g. Access Control. */
  family: string;
}

export type ControlCatalog = ReadonlyMap<string, ControlInfo>;

interface OscalControl {
  id?: unknown;
  title?: unknown;
  props?: Array<{ name?: unknown; value?: unknown }>;
  controls?: OscalControl[];
}

interface OscalGroup {
  title?: unknown;
  controls?: OscalControl[];
  groups?: OscalGroup[];
}

/** Builds the lookup from an OSCAL 1.1 catalog document; throws when the document is not a catalog. */
export function parseOscalCatalog(doc: unknown): ControlCatalog {
  const catalog = (doc as { catalog?: { groups?: OscalGroup[]; controls?: OscalControl[] } } | null)?.catalog;
  if (!catalog || typeof catalog !== 'object') throw new Error('not an OSCAL catalog: there is no "catalog" object');
  const out = new Map<string, ControlInfo>();
  const addControls = (controls: OscalControl[] | undefined, family: string) => {
    for (const c of controls ?? []) {
      if (typeof c.id !== 'string' || typeof c.title !== 'string') continue;
      // The catalog carries several label props (AC-02, AC-2); the unpadded one is how controls are cited.
      const labels = (c.props ?? []).filter((p) => p.name === 'label' && typeof p.value === 'string').map((p) => String(p.value));
      const label = labels.find((l) => !/-0\d/.test(l) && !/\(0\d\)/.test(l)) ?? labels[0] ?? c.id.toUpperCase();
      out.set(c.id, { id: c.id, label, title: c.title, family });
      addControls(c.controls, family);
    }
  };
  const addGroups = (groups: OscalGroup[] | undefined) => {
    for (const g of groups ?? []) {
      addControls(g.controls, typeof g.title === 'string' ? g.title : '');
      addGroups(g.groups);
    }
  };
  addGroups(catalog.groups);
  addControls(catalog.controls, '');
  if (out.size === 0) throw new Error('the OSCAL catalog lists no controls');
  return out;
}
