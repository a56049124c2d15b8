package scan

// Selected is a file a run with the same paths and globs would check.
type Selected struct {
	// Rel is the path as the baseline reports it (see Options.Paths).
	Rel string
	// Path opens the file: relative to the working directory, or
	// absolute, as the PATH was given.
	Path string
	// Root is the index of the PATH the file was found under (or is).
	Root int
	// Err is set when the file (or the folder holding it) could not be
	// read.
	Err error
}

// PathsOrDot is the PATHs a run checks: paths, or the working directory
// "." when none is given. Build, Select and every caller that names or
// finds a run's PATHs read them through it, so that they agree.
func PathsOrDot(paths []string) []string {
	if len(paths) == 0 {
		return []string{"."}
	}
	return paths
}

// Select lists, sorted by Rel, the files that Build with these paths and
// globs would hand to a checker: the same walk, skipped folders and files,
// globs and links. parse-baseline migrate rewrites exactly the files
// parse-baseline checks.
func Select(paths, include, exclude []string) ([]Selected, error) {
	if err := validGlobs("include", include); err != nil {
		return nil, err
	}
	if err := validGlobs("exclude", exclude); err != nil {
		return nil, err
	}
	var out []Selected
	for t, err := range distinct(walk(PathsOrDot(paths), include, exclude)) {
		if err != nil {
			return nil, err
		}
		out = append(out, Selected{Rel: t.Rel, Path: t.Arg, Root: t.Root, Err: t.Err})
	}
	return out, nil
}
