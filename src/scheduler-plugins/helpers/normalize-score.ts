/**
 * helper.DefaultNormalizeScore: scale scores to [0, maxPriority] by the maximum (the minimum is
 * not subtracted: [1000,10,20,30] → [100,1,2,3]); `reverse` flips them so fewer is better.
 * All-zero scores stay 0, or become maxPriority when reversed. Integer maths as Go's int64.
 */
export function defaultNormalizeScore(
  maxPriority: number,
  reverse: boolean,
  scores: number[],
): void {
  let maxCount = 0;
  for (const s of scores) if (s > maxCount) maxCount = s;
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const score = Math.trunc((maxPriority * scores[i]!) / maxCount);
    scores[i] = reverse ? maxPriority - score : score;
  }
}
