// Package shapes is tested directly and, through report, indirectly.
package shapes

// Area of a rectangle; negative sides are an error.
func Area(w, h int) (int, bool) {
	if w < 0 || h < 0 {
		return 0, false
	}
	return w * h, true
}

// Perimeter is only called by report's tests.
func Perimeter(w, h int) int {
	return 2 * (w + h)
}

// Unused is never called.
func Unused() int {
	x := 1
	for i := 0; i < 3; i++ {
		x += i
	}
	return x
}
