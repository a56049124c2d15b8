// A suite that fails to load: a syntax error.
test("never runs", () => {
  expect(true).toBe(true);
