import type { FeatureType } from '@driftwatch/stats';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseVector(cell: string): number[] | undefined {
  const t = cell.trim();
  const parts = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1).split(',') : t.split(/[\s;]+/);
  const out = parts.filter((p) => p.trim() !== '').map((p) => (NUMBER.test(p.trim()) ? Number(p.trim()) : NaN));
  return out.length > 0 && out.every(Number.isFinite) ? out : undefined;
}

/**
 * A CSV cell as the value the SDK would have seen for a feature of `type`: numbers for numeric columns, booleans
 * for `true/false/1/0`, number arrays for embeddings (`[1,2]` or `1 2`), strings otherwise; an empty cell is
 * missing (undefined). A cell that does not parse keeps its text and is counted as missing by the profile
 * (type mismatch), as the SDK would.
 */
export function csvCell(cell: string, type: FeatureType | undefined): unknown {
  if (cell === '') return undefined;
  switch (type) {
    case 'numeric':
      return NUMBER.test(cell.trim()) ? Number(cell) : cell;
    case 'boolean': {
      const t = cell.trim().toLowerCase();
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : cell;
    }
    case 'embedding':
      return parseVector(cell) ?? cell;
    case 'categorical':
    case 'text':
      return cell;
    default: {
      // no schema yet: guess the JS type, for schema inference
      const t = cell.trim();
      if (NUMBER.test(t)) return Number(t);
      if (t === 'true' || t === 'false') return t === 'true';
      if (t.startsWith('[')) return parseVector(t) ?? cell;
      return cell;
    }
  }
}
