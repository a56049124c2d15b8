// Top-level tests, no describe block: jest-junit names them by title only.
test("handles empty input", () => {
  expect("".split(",")).toEqual([]);
});

test("splits on commas", () => {
  expect("a,b".split(",")).toEqual(["a", "b"]);
});
