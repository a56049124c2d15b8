package signing

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// PasswordEnv names the variable that holds an encrypted secret key's
// password for unattended signing.
const PasswordEnv = "MINISIGN_PASSWORD"

// maxPassword bounds a password line read from stdin.
const maxPassword = 4096

// PasswordSource returns the password of an encrypted secret key: from
// PasswordEnv when set, else typed at the terminal with echo off when stdin is
// one, else the first line of stdin. It is asked at most once.
func PasswordSource(stdin io.Reader, stderr io.Writer, getenv func(string) string) func() ([]byte, error) {
	return func() ([]byte, error) {
		if pw := getenv(PasswordEnv); pw != "" {
			return []byte(pw), nil
		}
		if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprint(stderr, "Password: ")
			pw, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(stderr)
			if err != nil {
				return nil, fmt.Errorf("read password from terminal: %w", err)
			}
			return pw, nil
		}
		line, err := bufio.NewReaderSize(io.LimitReader(stdin, maxPassword), maxPassword).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read password from stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return nil, fmt.Errorf("no password: set %s or pipe it on stdin", PasswordEnv)
		}
		return []byte(line), nil
	}
}
