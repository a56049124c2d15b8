test("passes", () => {
  expect(1 + 1).toBe(2);
});

test("fails", () => {
  expect(1 + 1).toBe(3);
});

test.skip("is skipped", () => {});

test.todo("is a todo");
