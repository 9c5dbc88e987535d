/** Returns every subset of items with exactly size elements, each in the order of items. */
export function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) {
    return [[]];
  }
  const out: T[][] = [];
  for (let i = 0; i + size <= items.length; i++) {
    for (const rest of combinations(items.slice(i + 1), size - 1)) {
      out.push([items[i], ...rest]);
    }
  }
  return out;
}

/** Returns [1, 2, ..., count]. */
export function range1(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}
