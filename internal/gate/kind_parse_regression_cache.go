package gate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/setting"
)

// CacheUse is what a parse-regression gate's checker cache did
// (details.cache): how many files went to the checker and how many took
// their verdict from the cache, which caches were used, and why any was
// not.
type CacheUse struct {
	File      string   `json:"file"`
	Rechecked int      `json:"rechecked"`
	Reused    int      `json:"reused"`
	Sources   []string `json:"sources,omitempty"`
	// Warnings say why a cache was not used (none yet, damaged, another
	// checker…): every file was then checked.
	Warnings []string `json:"warnings,omitempty"`
}

// validCache checks cache: and cache_key: with the flags' functions.
func (c *parseRegressionCheck) validCache(d *Decoder, value *yaml.Node) error {
	switch {
	case c.CacheKey != "" && c.Cache == "":
		return d.Errorf(value, "parse-regression: cache_key needs cache: FILE")
	case c.Cache == "":
		return nil
	case c.Statuses != "":
		return d.Errorf(value, "parse-regression: cache keeps a checker's verdicts, and statuses: runs no checker; drop cache")
	case c.Output != "" && filepath.Clean(c.Output) == filepath.Clean(c.Cache):
		return d.settingError(value, "cache", fmt.Errorf("%s is the output too; give the cache its own file (%s)", c.Cache, scan.DefaultCacheFile))
	}
	if err := setting.CacheFile(c.Cache); err != nil {
		return d.settingError(value, "cache", err)
	}
	return d.settingError(value, "cache_key", setting.CacheKey(c.CacheKey))
}

// openCache finds the earlier cache. With an artifact reference fetched
// by the action, it is the entry of the reference's artifact named like
// the cache file — uploaded by a push run on the reference branch, which
// a pull request cannot write, the run the reference baseline came from
// (ReferenceFetcher) — and never the file in the checkout, which
// a pull request could have committed. Otherwise (a file reference, or a
// run outside the action) it is the cache file itself, as trusted as the
// reference file beside it.
func (c *parseRegressionCheck) openCache(ctx context.Context, rc *RunContext) (*scan.Cache, *CacheUse) {
	use := &CacheUse{File: c.Cache}
	sc := &scan.Cache{Key: c.CacheKey, Log: func(s string) { use.Warnings = append(use.Warnings, s) }}
	if c.Reference.Artifact != "" && rc.Reference != nil {
		ref := artifact.Ref{Name: c.Reference.Artifact, Branch: c.Reference.Branch, File: path.Base(filepath.ToSlash(c.Cache))}
		data, found, err := rc.Reference.FetchReference(ctx, ref)
		switch {
		case err != nil:
			use.Warnings = append(use.Warnings, fmt.Sprintf("no cache from %s: %v; every file is checked", ref, err))
		default:
			sc.Sources = []scan.CacheSource{{Name: fmt.Sprintf("%s, run %d", ref, found.RunID), Data: data}}
		}
	} else {
		data, err := os.ReadFile(rc.Path(c.Cache))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			use.Warnings = append(use.Warnings, fmt.Sprintf("no cache %s yet; every file is checked", c.Cache))
		case err != nil:
			use.Warnings = append(use.Warnings, fmt.Sprintf("cache %s ignored: %v", c.Cache, err))
		default:
			sc.Sources = []scan.CacheSource{{Name: c.Cache, Data: data}}
		}
	}
	return sc, use
}

// saveCache writes the run's cache, as outputs are written, and records
// what it did.
func (c *parseRegressionCheck) saveCache(rc *RunContext, sc *scan.Cache, use *CacheUse) error {
	st := sc.Stats()
	use.Rechecked, use.Reused, use.Sources = st.Rechecked, st.Reused, st.Sources
	data, err := sc.Encode()
	if err != nil {
		return err
	}
	return rc.WriteOutput(c.Cache, data)
}
