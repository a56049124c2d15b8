// Package report uses shapes.
package report

import (
	"fmt"

	"example.com/covsample/shapes"
)

// Describe a rectangle.
func Describe(w, h int) string {
	a, ok := shapes.Area(w, h)
	if !ok {
		return "invalid"
	}
	return fmt.Sprintf("area %d, perimeter %d", a, shapes.Perimeter(w, h))
}
