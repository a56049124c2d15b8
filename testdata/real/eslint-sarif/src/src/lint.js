// Two errors (no-unused-vars, no-undef) and three warnings (no-var, eqeqeq, prefer-const).
var total = 0;
const unused = 1;

export function check(x) {
  let y = 2;
  if (x == y) {
    total += missing;
  }
  return total;
}
