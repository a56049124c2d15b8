// No findings.
export function greet(name) {
  return `hello, ${name}`;
}
