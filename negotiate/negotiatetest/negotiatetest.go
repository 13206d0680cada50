// Package negotiatetest holds what tests of negotiated responses share, as
// net/http/httptest does for handlers.
package negotiatetest

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// Gunzip decodes a gzipped body, failing the test when it is not gzip.
func Gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}
