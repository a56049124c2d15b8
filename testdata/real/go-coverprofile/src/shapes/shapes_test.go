package shapes

import "testing"

func TestArea(t *testing.T) {
	if a, ok := Area(2, 3); !ok || a != 6 {
		t.Fatal(a, ok)
	}
}
