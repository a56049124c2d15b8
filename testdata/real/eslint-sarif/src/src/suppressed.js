// One finding, suppressed in the source.
export function main() {
  // eslint-disable-next-line no-unused-vars
  const ignored = 42;
  return 0;
}
