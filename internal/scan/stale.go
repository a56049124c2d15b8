package scan

import (
	"fmt"
	"strings"
)

// maxOwners bounds the owners named per stale entry.
const maxOwners = 3

// maxOwnerRunes bounds one owner's name as shown.
const maxOwnerRunes = 40

// StaleNames names the first max of the fingerprints fps (then "and N
// more"), each with the owners its entries name (baseline.StaleOwners):
// "3f09a1ae777dd5b3 (owner @a)". parse-baseline's warnings and the
// parse-regression gate's sign-off line say whom to ask with it. The text
// is plain and holds the suppressions file's words: the caller makes it
// safe where it lands (cli.Errorf on a terminal, safetext in markdown,
// where "@a" must not become a mention).
func StaleNames(fps []string, owners map[string][]string, max int) []string {
	names := make([]string, 0, min(max, len(fps))+1)
	for _, fp := range fps[:min(max, len(fps))] {
		names = append(names, fp+ownedBy(owners[fp]))
	}
	if len(fps) > max {
		names = append(names, fmt.Sprintf("and %d more", len(fps)-max))
	}
	return names
}

// ownedBy is " (owner @a)", " (owners @a, @b)", or "" for none.
func ownedBy(owners []string) string {
	if len(owners) == 0 {
		return ""
	}
	names := make([]string, 0, maxOwners+1)
	for _, o := range owners[:min(maxOwners, len(owners))] {
		// One word (owner= ends at white space), kept short.
		if r := []rune(o); len(r) > maxOwnerRunes {
			o = string(r[:maxOwnerRunes]) + "…"
		}
		names = append(names, o)
	}
	if len(owners) > maxOwners {
		names = append(names, fmt.Sprintf("and %d more", len(owners)-maxOwners))
	}
	if len(owners) == 1 {
		return " (owner " + names[0] + ")"
	}
	return " (owners " + strings.Join(names, ", ") + ")"
}
