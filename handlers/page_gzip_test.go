package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

func TestGzipPartsJoinIntoTheSamePage(t *testing.T) {
	t.Parallel()
	before := []byte("<html><head><title>x</title></head><body><form><input name=_csrf value=\"" + strings.Repeat("abc ", 500))
	after := []byte("\"></form>" + strings.Repeat("<p>after the token, repeated text</p>", 300) + "</body></html>")
	g, err := newGzipParts(before, after)
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"", "k", "tokenTOKENtokenTOKENtokenTOKEN12", strings.Repeat("z", 70000)[:65535]} {
		gz := g.appendTo(nil, token)
		r, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatalf("token %d bytes: %v", len(token), err)
		}
		r.Multistream(false)
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("token %d bytes: reading: %v", len(token), err)
		}
		want := string(before) + token + string(after)
		if string(got) != want {
			t.Fatalf("token %d bytes: the page differs", len(token))
		}
		if len(token) < 100 && len(gz) > len(want)/2 {
			t.Errorf("compressed to %d of %d bytes", len(gz), len(want))
		}
	}
}
