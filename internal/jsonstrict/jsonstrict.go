// Package jsonstrict holds the checks that encoding/json does not make and
// a reader of evidence needs: a JSON document must mean the same to every
// reader.
package jsonstrict

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// UniqueKeys refuses a JSON document in which an object names a key
// twice. encoding/json keeps the last value, so {"percent": 79,
// "percent": 10} would be read as 10 where another reader sees 79: a
// figure that depends on the reader is not evidence. The error names the
// key's path ("totals: repeated key \"covered_lines\"", "items[2].id:
// …"). It reads the first JSON value of data only (invalid JSON in it is
// an error too): call it beside a decoder that refuses data after it.
func UniqueKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return repeatedKeys(dec, "")
}

// repeatedKeys reads one value from dec, checking every object in it.
func repeatedKeys(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := tok.(string)
			if seen[k] {
				if path == "" {
					return fmt.Errorf("repeated key %q: an object may name a key once", k)
				}
				return fmt.Errorf("%s: repeated key %q: an object may name a key once", path, k)
			}
			seen[k] = true
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			if err := repeatedKeys(dec, sub); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := repeatedKeys(dec, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}
