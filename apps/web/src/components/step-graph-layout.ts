/** What the layout needs of a step: its key and the keys of the steps it waits for. */
export interface LayoutInput {
  key: string;
  dependsOn: readonly string[];
}

/** Where a step sits: its column (dependency depth, 0 = waits for nothing) and its row within that column. */
export interface LayoutNode {
  key: string;
  /** Column: the length of the longest chain of dependencies leading to the step. */
  depth: number;
  /** Row within the column, from 0. */
  row: number;
}

/** The layered layout of a track's steps. */
export interface StepLayout {
  /** One per input step, in input order. */
  nodes: LayoutNode[];
  /** Number of columns (1 + the greatest depth; 0 without steps). */
  columns: number;
  /** Rows of the fullest column. */
  rows: number;
}

/**
 * Lays a track's steps out left to right in layers (a longest-path layering of the dependency DAG): every step sits
 * one column right of the deepest step it depends on, so each dependency is left of its dependents. Within a column,
 * steps are ordered by the mean row of their dependencies (barycentre; fewer crossing edges), ties in input order.
 *
 * Input: the steps in the track's order; `dependsOn` keys not among the steps are ignored. A dependency cycle (a
 * broken definition) does not loop: the edge that closes it is ignored.
 * Output: a column and row per step (pure; no pixels — the chart scales them).
 */
export function layoutSteps(steps: readonly LayoutInput[]): StepLayout {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const order = new Map(steps.map((s, i) => [s.key, i]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();

  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    visiting.add(key);
    let d = 0;
    for (const dep of byKey.get(key)?.dependsOn ?? []) {
      if (!byKey.has(dep) || visiting.has(dep)) continue;
      d = Math.max(d, depthOf(dep) + 1);
    }
    visiting.delete(key);
    depth.set(key, d);
    return d;
  };
  for (const s of steps) depthOf(s.key);

  const columns = steps.length === 0 ? 0 : Math.max(...depth.values()) + 1;
  const layers: string[][] = Array.from({ length: columns }, () => []);
  for (const s of steps) layers[depth.get(s.key)!]!.push(s.key);

  const row = new Map<string, number>();
  for (const layer of layers) {
    const centre = (key: string): number => {
      const rows = (byKey.get(key)?.dependsOn ?? []).map((d) => row.get(d)).filter((r): r is number => r !== undefined);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const sorted = [...layer].sort((a, b) => {
      const ca = centre(a);
      const cb = centre(b);
      return ca === cb ? order.get(a)! - order.get(b)! : ca < cb ? -1 : 1;
    });
    sorted.forEach((key, i) => row.set(key, i));
  }

  return {
    nodes: steps.map((s) => ({ key: s.key, depth: depth.get(s.key)!, row: row.get(s.key)! })),
    columns,
    rows: layers.reduce((m, l) => Math.max(m, l.length), 0),
  };
}
