/** Turns a path in a parsed playbook into a line and column of its YAML source, using the parser's node ranges. */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';

export type Path = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  col: number;
}

export interface Target {
  path: Path;
  /** Point at the key of the last segment (unknown fields, duplicates) rather than its value. */
  key?: boolean;
  /** Point at this text inside the value (a placeholder within a command)... */
  needle?: string;
  /** ...at its n-th occurrence, counting from 0. */
  occurrence?: number;
}

export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly source: string,
  ) {}

  at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /** The position of a target; when the path does not exist (a missing field), the deepest node that does. */
  position(target: Target): Position {
    const found = this.walk(target.path);
    const node = target.key && found.complete && found.pair ? (found.pair.key as Node | null) : found.node;
    const start = node?.range?.[0] ?? 0;
    if (target.needle && found.complete && node?.range) {
      // Search the raw source of the value, so escapes and folding before the needle do not shift it.
      const source = this.source.slice(node.range[0], node.range[1]);
      let index = source.indexOf(target.needle);
      for (let n = target.occurrence ?? 0; n > 0 && index >= 0; n--) index = source.indexOf(target.needle, index + 1);
      if (index >= 0) return this.at(start + index);
    }
    return this.at(start);
  }

  private walk(path: Path): { node: Node | undefined; pair?: Pair; complete: boolean } {
    let node = this.doc.contents as Node | null | undefined;
    let pair: Pair | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const hit = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!hit) return { node: node ?? undefined, complete: false };
        pair = hit;
        // A key with no value (`title:`) has a null value node; point at its key.
        node = (hit.value as Node | null) ?? (hit.key as Node);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) return { node, complete: false };
        pair = undefined;
        node = item;
      } else {
        return { node: node ?? undefined, complete: false };
      }
    }
    return { node: node ?? undefined, ...(pair ? { pair } : {}), complete: true };
  }
}
