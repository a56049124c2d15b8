package main

import "github.com/org/gonogo-action/internal/signing"

// gate sign and gate verify live in internal/signing (docs/signing.md):
//
//	gate sign --secret-key KEY [--trusted-comment TEXT] FILE...
//	gate verify --key KEY... [--revoked FILE] [--strict] [--include GLOB]... [FILE...]
func init() {
	subcommands["sign"] = signing.SignCommand
	subcommands["verify"] = signing.VerifyCommand
}
