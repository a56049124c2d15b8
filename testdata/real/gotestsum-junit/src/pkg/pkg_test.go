package pkg

import "testing"

func TestPass(t *testing.T) {}

func TestFail(t *testing.T) { t.Fatal("fails on purpose") }

func TestSkip(t *testing.T) { t.Skip("skipped on purpose") }

func TestSub(t *testing.T) {
	t.Run("ok", func(t *testing.T) {})
	t.Run("bad", func(t *testing.T) { t.Error("subtest fails") })
}
