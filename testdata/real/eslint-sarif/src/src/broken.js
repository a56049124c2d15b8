// A fatal parse error: the closing parenthesis is missing.
export function add(a, b {
  return a + b;
}
