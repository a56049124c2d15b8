package baseline

import (
	"fmt"
	"slices"
	"strings"
)

// Code is one entry of the checker status code table. The table is the
// specification's ("Current code table"); it is the only place it lives.
type Code struct {
	Num     int
	Name    string
	Meaning string
}

// Codes is the status code table, in numeric order.
var Codes = []Code{
	{0, "SUCCESS", "Parsed / executed successfully"},
	{1, "GENERIC_FAILURE", "Legacy generic failure"},
	{20, "PARSE_ERROR", "Structural / syntax issue"},
	{21, "RUNTIME_ERROR", "Execution failed (uncaught)"},
	{22, "SIGNATURE_ERROR", "Signature validation"},
	{23, "TIMEOUT_ERROR", "Internal timeout"},
	{24, "UNSUPPORTED_FEATURE", "Feature not yet implemented"},
	{25, "VALIDATION_ERROR", "Semantic / pre-exec validation"},
	{26, "IO_ERROR", "File read / access issue"},
	{27, "INTERNAL_ERROR", "Unexpected interpreter crash"},
}

// Names of the codes used by name elsewhere in the project.
const (
	Success            = "SUCCESS"
	GenericFailure     = "GENERIC_FAILURE"
	ParseError         = "PARSE_ERROR"
	RuntimeError       = "RUNTIME_ERROR"
	SignatureError     = "SIGNATURE_ERROR"
	TimeoutError       = "TIMEOUT_ERROR"
	UnsupportedFeature = "UNSUPPORTED_FEATURE"
	ValidationError    = "VALIDATION_ERROR"
	IOError            = "IO_ERROR"
	InternalError      = "INTERNAL_ERROR"
)

var (
	byName = map[string]Code{}
	byNum  = map[int]Code{}
)

func init() {
	for _, c := range Codes {
		byName[c.Name] = c
		byNum[c.Num] = c
	}
}

// CodeByName looks a code up by its name, e.g. "PARSE_ERROR".
func CodeByName(name string) (Code, bool) {
	c, ok := byName[name]
	return c, ok
}

// ParseCodeName reads a code name as a user writes it, in --codes,
// --fail-on, --fail-on-new and in gonogo.yml's codes and fail_on_new alike:
// any case ("parse_error" is PARSE_ERROR). An unknown name is an error that
// lists the known ones.
func ParseCodeName(s string) (string, error) {
	name := strings.ToUpper(s)
	if _, ok := byName[name]; !ok {
		known := make([]string, len(Codes))
		for i, k := range Codes {
			known[i] = k.Name
		}
		return "", fmt.Errorf("unknown code (known: %s)", strings.Join(known, ", "))
	}
	return name, nil
}

// CodeByNum looks a code up by its number, e.g. 20.
func CodeByNum(n int) (Code, bool) {
	c, ok := byNum[n]
	return c, ok
}

// rank orders code names by their number; unknown names sort last, by name.
// It gives every report the same code order.
func rank(name string) int {
	if c, ok := byName[name]; ok {
		return c.Num
	}
	return 1 << 20
}

// SortCodes sorts code names in table order (unknown names last, by name).
func SortCodes(names []string) {
	slices.SortFunc(names, CompareCodes)
}

// CompareCodes orders two code names as SortCodes does.
func CompareCodes(a, b string) int {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}
