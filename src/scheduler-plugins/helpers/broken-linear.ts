/**
 * helper.BuildBrokenLinearFunction (helper/shape_score.go): a piecewise-linear function through
 * the shape points, flat before the first and after the last. Integer maths as Go's int64:
 * the interpolation truncates toward zero (it can be negative for a falling shape).
 */
export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/** `shape` must be sorted by increasing utilization and non-empty (validated by the caller). */
export function buildBrokenLinearFunction(
  shape: readonly FunctionShapePoint[],
): (p: number) => number {
  return (p: number): number => {
    for (let i = 0; i < shape.length; i++) {
      const point = shape[i]!;
      if (p <= point.utilization) {
        if (i === 0) return shape[0]!.score;
        const prev = shape[i - 1]!;
        return (
          prev.score +
          Math.trunc(
            ((point.score - prev.score) * (p - prev.utilization)) /
              (point.utilization - prev.utilization),
          )
        );
      }
    }
    return shape[shape.length - 1]!.score;
  };
}
