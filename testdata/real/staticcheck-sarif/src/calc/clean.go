package calc

// Double has no findings.
func Double(x int) int { return 2 * x }
