// Package migrate rewrites legacy forms in many files by declarative rules,
// the counterpart of the specification's migrate_legacy_aether.py
// ("normalise older forms such as intent: → goal:, clean whitespace"): a
// rules file names ordered line rewrites (a regular expression and its
// replacement) and whitespace normalisations; Rewrite applies them to one
// file's content and records which rule changed which line; Diff renders
// that as a unified diff that patch -p0 and git apply -p0 accept; Markdown
// renders migration_report.md. parse-baseline migrate is its command.
package migrate
