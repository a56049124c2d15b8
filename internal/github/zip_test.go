package github

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

type entry struct {
	name string
	body string
	mode fs.FileMode
}

func makeZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadZipFile(t *testing.T) {
	t.Parallel()
	const want = "parse_baseline.json"
	ok := entry{name: want, body: `{"total":1}`}
	many := make([]entry, 0, 12)
	for i := range 12 {
		many = append(many, entry{name: strings.Repeat("d", i+1), body: "x"})
	}
	tests := []struct {
		name    string
		zip     []byte
		lim     ZipLimits
		wantErr string
	}{
		{"ok", makeZip(t, entry{name: "dir/", mode: fs.ModeDir | 0o755}, ok, entry{name: "dir/other.txt", body: "o"}), ZipLimits{}, ""},
		{"traversal", makeZip(t, ok, entry{name: "../evil", body: "x"}), ZipLimits{}, "unsafe name"},
		{"inner traversal", makeZip(t, ok, entry{name: "a/../../evil", body: "x"}), ZipLimits{}, "unsafe name"},
		{"absolute", makeZip(t, ok, entry{name: "/etc/passwd", body: "x"}), ZipLimits{}, "unsafe name"},
		{"backslash", makeZip(t, ok, entry{name: `..\evil`, body: "x"}), ZipLimits{}, "unsafe name"},
		{"drive", makeZip(t, ok, entry{name: `C:evil`, body: "x"}), ZipLimits{}, "unsafe name"},
		{"dot", makeZip(t, ok, entry{name: "./" + want, body: "x"}), ZipLimits{}, "unsafe name"},
		{"duplicate", makeZip(t, ok, ok), ZipLimits{}, "appears twice"},
		{"duplicate by case", makeZip(t, ok, entry{name: strings.ToUpper(want), body: "x"}), ZipLimits{}, "appears twice"},
		{"symlink", makeZip(t, entry{name: want, body: "/etc/passwd", mode: fs.ModeSymlink | 0o777}), ZipLimits{}, "not a regular file"},
		{"too many entries", makeZip(t, append(many, ok)...), ZipLimits{Entries: 10}, "entries, limit 10"},
		{"too big", makeZip(t, entry{name: want, body: strings.Repeat("x", 2000)}), ZipLimits{EntrySize: 1000}, "size over the limit"},
		{"total too big", makeZip(t, ok, entry{name: "a", body: strings.Repeat("x", 900)}, entry{name: "b", body: strings.Repeat("x", 900)}), ZipLimits{Total: 1000}, "size over the limit"},
		{"bomb ratio", makeZip(t, entry{name: want, body: strings.Repeat("\x00", 4<<20)}), ZipLimits{}, "compression ratio"},
		{"missing", makeZip(t, entry{name: "other.json", body: "{}"}), ZipLimits{}, "has no"},
		{"not a zip", []byte("PK nope"), ZipLimits{}, "read zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadZipFile(tt.zip, want, tt.lim)
			if tt.wantErr == "" {
				if err != nil || string(got) != ok.body {
					t.Fatalf("ReadZipFile = %q, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzReadZipFile(f *testing.F) {
	f.Add(makeZip(f, entry{name: "parse_baseline.json", body: "{}"}))
	f.Add(makeZip(f, entry{name: "../x", body: "{}"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadZipFile(data, "parse_baseline.json", ZipLimits{EntrySize: 1 << 16, Total: 1 << 18})
	})
}
