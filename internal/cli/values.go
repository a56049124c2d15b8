package cli

import (
	"cmp"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/org/gonogo-action/internal/setting"
)

// The flag values below read their text with the parsers of package
// setting and check it with the setting's own function, the one the same
// key in gonogo.yml goes through: a flag and its key accept and refuse the
// same values, and a refusal names the expected form ("--timeout 10": want
// a duration such as 10s). The standard flag package would take "2.5" for
// --abs-threshold as "parse error" and "yes" for a boolean as no value at
// all.

// IntVar defines an integer flag checked by check (nil: any whole number).
func IntVar(fs *flag.FlagSet, p *int, name string, value int, usage string, check func(int) error) {
	*p = value
	fs.Var(&intValue{p: p, check: check}, name, usage)
}

// NumberVar defines a finite number flag checked by check (nil: any).
func NumberVar(fs *flag.FlagSet, p *float64, name string, value float64, usage string, check func(float64) error) {
	*p = value
	fs.Var(&numberValue{p: p, check: check}, name, usage)
}

// DurationVar defines a duration flag: Go syntax ("10s"), more than zero.
func DurationVar(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(&durationValue{p: p}, name, usage)
}

// DaysVar defines an age in whole days: "90d" or a Go duration of whole
// days ("2160h"), 1 day or more (setting.Days). value 0 means unset.
func DaysVar(fs *flag.FlagSet, p *int, name string, usage string) {
	*p = 0
	fs.Var(&daysValue{p: p}, name, usage)
}

// StringVar defines a text flag checked by check (nil: any text).
func StringVar(fs *flag.FlagSet, p *string, name string, value string, usage string, check func(string) error) {
	*p = value
	fs.Var(&stringValue{p: p, check: check}, name, usage)
}

// BoolVar defines a boolean flag: --name alone is true; --name=true and
// --name=false are the only spelled values.
func BoolVar(fs *flag.FlagSet, p *bool, name string, value bool, usage string) {
	*p = value
	fs.Var(&boolValue{report: report{sep: "="}, p: p}, name, usage)
}

// report lets Parse word a refused value itself ("--jobs 0: want 1 or
// more") instead of the flag package's "invalid value "0" for flag -jobs".
type report struct {
	name, sep string
	failed    *error
}

func (r *report) reportTo(name string, failed *error) { r.name, r.failed = name, failed }

// refuse records err for Parse and returns it.
func (r *report) refuse(s string, err error) error {
	if r.failed != nil {
		*r.failed = fmt.Errorf("--%s%s%s: %w", r.name, cmp.Or(r.sep, " "), s, err)
	}
	return err
}

type reporter interface {
	reportTo(name string, failed *error)
}

type intValue struct {
	report
	p     *int
	check func(int) error
}

func (v *intValue) Set(s string) error {
	n, err := setting.Int(s)
	if err == nil && v.check != nil {
		err = v.check(n)
	}
	if err != nil {
		return v.refuse(s, err)
	}
	*v.p = n
	return nil
}

func (v *intValue) String() string {
	if v == nil || v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

type numberValue struct {
	report
	p     *float64
	check func(float64) error
}

func (v *numberValue) Set(s string) error {
	f, err := setting.Number(s)
	if err == nil && v.check != nil {
		err = v.check(f)
	}
	if err != nil {
		return v.refuse(s, err)
	}
	*v.p = f
	return nil
}

func (v *numberValue) String() string {
	if v == nil || v.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

type durationValue struct {
	report
	p *time.Duration
}

func (v *durationValue) Set(s string) error {
	d, err := setting.Duration(s)
	if err != nil {
		return v.refuse(s, err)
	}
	*v.p = d
	return nil
}

func (v *durationValue) String() string {
	if v == nil || v.p == nil {
		return "0s"
	}
	return v.p.String()
}

type daysValue struct {
	report
	p *int
}

func (v *daysValue) Set(s string) error {
	d, err := setting.Days(s)
	if err != nil {
		return v.refuse(s, err)
	}
	*v.p = d
	return nil
}

func (v *daysValue) String() string {
	if v == nil || v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.Itoa(*v.p) + "d"
}

type stringValue struct {
	report
	p     *string
	check func(string) error
}

func (v *stringValue) Set(s string) error {
	if v.check != nil {
		if err := v.check(s); err != nil {
			return v.refuse(strconv.Quote(s), err)
		}
	}
	*v.p = s
	return nil
}

func (v *stringValue) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return *v.p
}

type boolValue struct {
	report
	p *bool
}

func (v *boolValue) Set(s string) error {
	b, err := setting.Bool(s)
	if err != nil {
		return v.refuse(s, err)
	}
	*v.p = b
	return nil
}

func (v *boolValue) String() string {
	if v == nil || v.p == nil {
		return "false"
	}
	return strconv.FormatBool(*v.p)
}

// IsBoolFlag lets --name stand alone (flag.boolFlag).
func (v *boolValue) IsBoolFlag() bool { return true }

var (
	_ flag.Value = (*intValue)(nil)
	_ flag.Value = (*numberValue)(nil)
	_ flag.Value = (*durationValue)(nil)
	_ flag.Value = (*boolValue)(nil)
	_ flag.Value = (*daysValue)(nil)
	_ flag.Value = (*stringValue)(nil)
)
