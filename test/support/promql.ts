/**
 * PromQL checks with the Prometheus project's own lezer grammar (@prometheus-io/lezer-promql), the
 * parser behind the Prometheus UI editor: syntax errors, and the metric names an expression reads.
 */
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlSyntaxError {
  /** character offset of the error node */
  readonly from: number;
  /** the expression around the error */
  readonly near: string;
}

/** Every error node of the parse tree (an empty list means the expression parses). */
export function promqlSyntaxErrors(expr: string): PromqlSyntaxError[] {
  const errors: PromqlSyntaxError[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push({ from: node.from, near: expr.slice(Math.max(0, node.from - 20), node.to + 20) });
      }
    },
  });
  return errors;
}

/** The metric names of every vector selector in `expr` (deduplicated, in order of appearance). */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier !== null) names.add(expr.slice(identifier.from, identifier.to));
      }
    },
  });
  return [...names];
}
