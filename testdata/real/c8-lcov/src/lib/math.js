// Partly covered: one branch and one function are never taken.
export function clamp(x, lo, hi) {
  if (x < lo) {
    return lo;
  }
  if (x > hi) {
    return hi;
  }
  return x;
}

export function unused(x) {
  const y = x * 2;
  return y + 1;
}
