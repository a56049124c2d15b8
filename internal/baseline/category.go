package baseline

import (
	"fmt"
	"strings"
)

// Categories of the specification's failure classifier
// ("Key categories: ParseError, SignatureMissing, RuntimeError, Timeout,
// NotImplemented, Other"). docs/parse-baseline.md holds the one table
// that says which failure lands where.
const (
	CatParseError       = "ParseError"
	CatSignatureMissing = "SignatureMissing"
	CatRuntimeError     = "RuntimeError"
	CatTimeout          = "Timeout"
	CatNotImplemented   = "NotImplemented"
	CatOther            = "Other"
	// SuppressedPrefix marks the category of a suppressed failure
	// ("Suppressed-<OriginalCategory>").
	SuppressedPrefix = "Suppressed-"
)

// Categories lists the categories in the order reports show them.
var Categories = []string{CatParseError, CatSignatureMissing, CatRuntimeError, CatTimeout, CatNotImplemented, CatOther}

// codeCategory is the category of each code that names one; every other
// failing code is Other unless a heuristic says more (see scan.Category).
var codeCategory = map[string]string{
	ParseError:         CatParseError,
	SignatureError:     CatSignatureMissing,
	RuntimeError:       CatRuntimeError,
	TimeoutError:       CatTimeout,
	UnsupportedFeature: CatNotImplemented,
}

// CodeCategory returns the category a failing code names, and false for
// the codes that name none (GENERIC_FAILURE, VALIDATION_ERROR, IO_ERROR,
// INTERNAL_ERROR) and for SUCCESS.
func CodeCategory(code string) (string, bool) {
	c, ok := codeCategory[code]
	return c, ok
}

// ParseCategory checks a category name as an input carries it: one of
// Categories, or SuppressedPrefix followed by one, spelled exactly. It
// returns the category without the prefix and whether it had it. An
// unknown name is refused, never counted as Other: a reader that guessed
// would let a typo or a newer producer's category pass unseen.
func ParseCategory(name string) (base string, suppressed bool, err error) {
	base, suppressed = strings.CutPrefix(name, SuppressedPrefix)
	for _, c := range Categories {
		if base == c {
			return base, suppressed, nil
		}
	}
	return "", false, fmt.Errorf("unknown category %q (known: %s, each also as %s<Category>)", name, strings.Join(Categories, ", "), SuppressedPrefix)
}

// Phases of a two-phase classification: the checker's parse-only pass,
// then the execute pass over the files that passed it.
const (
	PhaseParse   = "parse"
	PhaseExecute = "execute"
)

// ValidPhase reports whether p is a phase an input may carry: parse,
// execute, or none.
func ValidPhase(p string) bool { return p == "" || p == PhaseParse || p == PhaseExecute }
