package gate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// maxJSONLLine bounds one line of an evidence JSONL file.
const maxJSONLLine = 1 << 20

// jsonlRecord is one decoded line of a JSONL file.
type jsonlRecord struct {
	Line int
	Obj  map[string]any
}

// readJSONL decodes every non-empty line as a JSON object; a bad line is
// reported (evidence that cannot be read is no evidence).
func readJSONL(r io.Reader, name string) ([]jsonlRecord, error) {
	var out []jsonlRecord
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxJSONLLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			return nil, fmt.Errorf("%s:%d: not a JSON object: %v", name, n, err)
		}
		out = append(out, jsonlRecord{Line: n, Obj: obj})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}
