// Package safetext makes untrusted text (checker messages, file names,
// command output, pull-request data) safe where it is shown: as markdown in
// a comment, a job summary or a sign-off file (Inline, Cell, Code), cut to a
// size budget without breaking the page (Truncate), and as one line of a log
// that a CI runner reads for commands (LogLine).
//
// It imports only the standard library, so that adapters (the runner
// protocol, the GitHub API) and the domain alike can use it without
// importing each other.
package safetext
