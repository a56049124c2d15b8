package report

import "testing"

func TestDescribe(t *testing.T) {
	if got := Describe(2, 3); got != "area 6, perimeter 10" {
		t.Fatal(got)
	}
}
