package coverage

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// xmlRoot is the name of the root element of an XML document, "" when data
// is not XML. A DOCTYPE is skipped, never fetched: encoding/xml does not
// resolve external entities.
func xmlRoot(data []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for i := 0; i < 64; i++ {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// decodeXML decodes a whole document into v and refuses trailing elements.
func decodeXML(format string, data []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", format, err)
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: after the root element: %w", format, err)
		}
		if _, ok := tok.(xml.StartElement); ok {
			return fmt.Errorf("%s: a second root element after the report", format)
		}
	}
}

type coberturaXML struct {
	XMLName      xml.Name `xml:"coverage"`
	LineRate     *string  `xml:"line-rate,attr"`
	LinesCovered *string  `xml:"lines-covered,attr"`
	LinesValid   *string  `xml:"lines-valid,attr"`
	Classes      []struct {
		Filename string `xml:"filename,attr"`
		Name     string `xml:"name,attr"`
		Lines    []struct {
			Number string `xml:"number,attr"`
			Hits   string `xml:"hits,attr"`
		} `xml:"lines>line"`
	} `xml:"packages>package>classes>class"`
}

// parseCobertura reads the root element's lines-covered and lines-valid:
// the totals every writer (Cobertura, coverage.py, gcovr, istanbul/c8)
// computes over its own lines. Without them (the old coverage-03 DTD) it
// counts the classes' <line> elements, one per file and line number, covered
// when any has hits. The line-rate, when present, must agree with the counts
// within the writer's rounding; a rate alone gives no number of lines and is
// refused.
func parseCobertura(data []byte) (Report, error) {
	var root coberturaXML
	if err := decodeXML("cobertura", data, &root); err != nil {
		return Report{}, err
	}
	var r Report
	switch {
	case root.LinesValid != nil && root.LinesCovered != nil:
		var err error
		if r.Total, err = xmlCount(*root.LinesValid); err != nil {
			return Report{}, fmt.Errorf("cobertura: lines-valid %w", err)
		}
		if r.Covered, err = xmlCount(*root.LinesCovered); err != nil {
			return Report{}, fmt.Errorf("cobertura: lines-covered %w", err)
		}
		if r.Covered > r.Total {
			return Report{}, fmt.Errorf("cobertura: lines-covered %d > lines-valid %d", r.Covered, r.Total)
		}
	case root.LinesValid != nil:
		return Report{}, errors.New("cobertura: lines-valid without lines-covered")
	case root.LinesCovered != nil:
		return Report{}, errors.New("cobertura: lines-covered without lines-valid")
	default:
		hit := map[string]bool{}
		for _, c := range root.Classes {
			for _, l := range c.Lines {
				if _, err := xmlCount(l.Number); err != nil {
					return Report{}, fmt.Errorf("cobertura: class %s: line number %w", c.Name, err)
				}
				h, err := xmlCount(l.Hits)
				if err != nil {
					return Report{}, fmt.Errorf("cobertura: class %s: line %s: hits %w", c.Name, l.Number, err)
				}
				k := c.Filename + "\x00" + l.Number
				hit[k] = hit[k] || h > 0
			}
		}
		for _, h := range hit {
			r.Total++
			if h {
				r.Covered++
			}
		}
		if r.Total == 0 {
			return Report{}, errors.New("cobertura: no lines-valid/lines-covered and no <line> elements: a line-rate alone does not say how many lines were measured")
		}
	}
	if root.LineRate != nil {
		if err := checkRate(*root.LineRate, r); err != nil {
			return Report{}, fmt.Errorf("cobertura: line-rate %w", err)
		}
	}
	return r, nil
}

// checkRate refuses a rate outside [0, 1] or one that disagrees with the
// counts by more than the writer's rounding: the digits it printed, or
// 0.0001 (istanbul prints a percentage cut to two decimals, divided by 100).
func checkRate(s string, r Report) error {
	s = strings.TrimSpace(s)
	rate, err := strconv.ParseFloat(s, 64)
	if err != nil || !(rate >= 0 && rate <= 1) {
		return fmt.Errorf("%q: want a number between 0 and 1", s)
	}
	if r.Total == 0 {
		return nil
	}
	tol := 0.0001
	if _, frac, ok := strings.Cut(s, "."); !ok {
		tol = 0.5
	} else if d := len(frac); d < 4 {
		tol = 0.5 * math.Pow10(-d)
	}
	if got := float64(r.Covered) / float64(r.Total); math.Abs(got-rate) > tol+1e-9 {
		return fmt.Errorf("%s disagrees with %d of %d lines covered", s, r.Covered, r.Total)
	}
	return nil
}

func xmlCount(s string) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q: want a non-negative integer", s)
	}
	return v, nil
}

type jacocoCounter struct {
	Type    string `xml:"type,attr"`
	Missed  string `xml:"missed,attr"`
	Covered string `xml:"covered,attr"`
}

// parseJaCoCo reads the report-level LINE counter of a JaCoCo XML report
// (https://www.jacoco.org/jacoco/trunk/coverage/report.dtd): the counter
// JaCoCo's own HTML and CSV reports total. Counters of packages, classes and
// methods are parts of it and are not summed again.
func parseJaCoCo(data []byte) (Report, error) {
	var root struct {
		XMLName  xml.Name        `xml:"report"`
		Counters []jacocoCounter `xml:"counter"`
	}
	if err := decodeXML("jacoco", data, &root); err != nil {
		return Report{}, err
	}
	var line *jacocoCounter
	for i, c := range root.Counters {
		if c.Type != "LINE" {
			continue
		}
		if line != nil {
			return Report{}, errors.New("jacoco: two report-level LINE counters")
		}
		line = &root.Counters[i]
	}
	if line == nil {
		return Report{}, errors.New("jacoco: no report-level <counter type=\"LINE\">: the report measured no lines")
	}
	missed, err := xmlCount(line.Missed)
	if err != nil {
		return Report{}, fmt.Errorf("jacoco: LINE counter missed %w", err)
	}
	covered, err := xmlCount(line.Covered)
	if err != nil {
		return Report{}, fmt.Errorf("jacoco: LINE counter covered %w", err)
	}
	if covered > math.MaxInt64-missed {
		return Report{}, errors.New("jacoco: LINE counter overflows")
	}
	return Report{Covered: covered, Total: covered + missed}, nil
}
