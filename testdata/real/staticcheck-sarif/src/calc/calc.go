// Package calc has a few findings for staticcheck.
package calc

import "strings"

// Sum adds the numbers.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	n := len(xs) // SA4006: this value of n is never used
	n = 0
	_ = n
	return total
}

// IsYes compares a bool to true.
func IsYes(b bool) bool {
	if b == true { // S1002
		return true
	}
	return false
}

// Upper has one finding suppressed with //lint:ignore.
func Upper(s string) string {
	//lint:ignore S1003 kept for the sample: a suppressed finding
	if strings.Index(s, "x") != -1 {
		return strings.ToUpper(s)
	}
	return s
}

func unused() {} // U1000
