package negotiate

import (
	"net/http"
	"strings"
	"testing"
)

func header(k string, lines ...string) http.Header {
	h := http.Header{}
	for _, l := range lines {
		h.Add(k, l)
	}
	return h
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"GZip", true},
		{"x-gzip", true},
		{"X-GZIP", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{" gzip ; q=0.5", true},
		{"gzip\t;\tq=0.5", true},
		{"gzip;Q=0.5", true},
		{"gzip;q=1", true},
		{"gzip;q=1.", true},
		{"gzip;q=1.000", true},
		{"gzip;q=0.001", true},
		{"*", true},
		{"*;q=0.1", true},
		{"identity", false},
		{"deflate", false},
		{"br", false},
		{"gzipx", false},
		{"gzip;q=0", false},
		{"gzip;q=0.", false},
		{"gzip;q=0.0", false},
		{"gzip; q=0.000", false},
		{"x-gzip;q=0", false},
		{"*;q=0", false},
		{"gzip;q=0, *", false}, // gzip's own weight wins over *
		{"*, gzip;q=0", false}, // in either order
		{"*;q=0, gzip;q=0.5", true},
		{"gzip;q=0, x-gzip", true}, // the same coding twice: the better weight
		// Malformed weights refuse, wherever they appear.
		{"gzip;q=nonsense", false},
		{"gzip;q=", false},
		{"gzip;q=.5", false},
		{"gzip;q=2", false},
		{"gzip;q=1.5", false},
		{"gzip;q=0.0001", false},
		{"gzip;q=-1", false},
		{"*;q=x", false},
		// Other parameters are not weights.
		{"gzip;level=0", true},
		// A refused identity without gzip is still a plain answer.
		{"identity;q=0", false},
		{"identity;q=0, gzip", true},
		{"identity;q=0, *;q=0", false},
		{",, gzip ,", true},
	} {
		var h http.Header
		if c.header != "" {
			h = header("Accept-Encoding", c.header)
		}
		if got := AcceptsGzip(h); got != c.want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", c.header, got, c.want)
		}
	}
	for _, c := range []struct {
		lines []string
		want  bool
	}{
		{[]string{"br", "gzip"}, true},
		{[]string{"gzip;q=0", "*"}, false},
		{[]string{"*", "gzip;q=0"}, false},
		{[]string{"br", "deflate"}, false},
	} {
		if got := AcceptsGzip(header("Accept-Encoding", c.lines...)); got != c.want {
			t.Errorf("AcceptsGzip(lines %q) = %v, want %v", c.lines, got, c.want)
		}
	}
}

func TestNotModified(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ifNoneMatch, etag string
		want              bool
	}{
		{`"abc"`, `"abc"`, true},
		{`W/"abc"`, `"abc"`, true},
		{`"abc"`, `W/"abc"`, true},
		{`W/"abc"`, `W/"abc"`, true},
		{`*`, `"abc"`, true},
		{` * `, `"abc"`, true},
		{`"x", "abc"`, `"abc"`, true},
		{`"x",W/"abc"`, `"abc"`, true},
		{"\"x\"\t,\t\"abc\"", `"abc"`, true},
		{`"a,b", "c"`, `"c"`, true}, // a comma inside a tag is part of it
		{`"a,b"`, `"a,b"`, true},
		{`"a,b"`, `"b"`, false},
		{`""`, `""`, true},
		{`"xabcx"`, `"abc"`, false}, // not a substring match
		{`"abc"`, `"xabcx"`, false},
		{`"ab"`, `"abc"`, false},
		{`"ABC"`, `"abc"`, false}, // tags are case-sensitive
		{`abc`, `"abc"`, false},   // unquoted: malformed
		{`w/"abc"`, `"abc"`, false},
		{`"abc`, `"abc"`, false},
		{`"a b"`, `"a b"`, false}, // a space is not etagc
		{`*abc`, `"abc"`, false},
		{`"x" junk, "abc"`, `"abc"`, false}, // malformed: the rest of the line is not read
		{`"abc"`, ``, false},                // no ETag: nothing to match
		{`*`, ``, false},
		{`"abc"`, `abc`, false}, // a malformed ETag of our own matches nothing
		{``, `"abc"`, false},
	} {
		var h http.Header
		if c.ifNoneMatch != "" {
			h = header("If-None-Match", c.ifNoneMatch)
		}
		if got := NotModified(h, c.etag); got != c.want {
			t.Errorf("NotModified(%q, %q) = %v, want %v", c.ifNoneMatch, c.etag, got, c.want)
		}
	}
	if !NotModified(header("If-None-Match", `"x"`, `"abc"`), `"abc"`) {
		t.Error("a tag on a second If-None-Match line was missed")
	}
	if !NotModified(header("If-None-Match", `"x" junk`, `"abc"`), `"abc"`) {
		t.Error("a malformed line hid the next one")
	}
}

func TestAddVary(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		before []string
		want   string
	}{
		{nil, "Accept-Encoding"},
		{[]string{"Accept-Encoding"}, "Accept-Encoding"},
		{[]string{"accept-encoding"}, "accept-encoding"},
		{[]string{"Cookie"}, "Cookie, Accept-Encoding"},
		{[]string{"Cookie, Accept-Encoding"}, "Cookie, Accept-Encoding"},
		{[]string{"Cookie", "Accept-Encoding"}, "Cookie, Accept-Encoding"},
		{[]string{"*"}, "*"},
	} {
		h := header("Vary", c.before...)
		AddVary(h, "Accept-Encoding")
		AddVary(h, "Accept-Encoding")
		if got := strings.Join(h.Values("Vary"), ", "); got != c.want {
			t.Errorf("Vary %q + Accept-Encoding = %q, want %q", c.before, got, c.want)
		}
	}
}

func TestGzipETag(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"abc"`: `"abc-gz"`, `W/"abc"`: `W/"abc-gz"`, ``: ``, `abc`: `abc`, `"`: `"`,
	} {
		if got := GzipETag(in); got != want {
			t.Errorf("GzipETag(%q) = %q, want %q", in, got, want)
		}
	}
	// Both tags of one representation match their own request only.
	if NotModified(header("If-None-Match", `"abc"`), GzipETag(`"abc"`)) {
		t.Error("the plain tag matched the gzip one")
	}
}

func TestCompressible(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{
		"text/html; charset=utf-8": true, "TEXT/CSS": true, "text/csv; charset=utf-8": true,
		"application/atom+xml; charset=utf-8": true, "application/json": true, "application/javascript": true,
		"text/javascript; charset=utf-8": true, "image/svg+xml": true, "application/xml": true,
		"": false, "image/png": false, "font/woff2": false, "application/octet-stream": false, "application/zip": false,
	} {
		if got := Compressible(ct); got != want {
			t.Errorf("Compressible(%q) = %v, want %v", ct, got, want)
		}
	}
}

// FuzzAcceptsGzip: any header is read without a panic, and the answer
// does not depend on how it is split into lines, on case, or on spaces
// around the separators.
func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "x-gzip;q=0.5", "*;q=0, gzip", "gzip;q=0.000", "br, gzip;q=1.", "identity;q=0", ";;,=;q", "gzip;q=\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AcceptsGzip(header("Accept-Encoding", s))
		if before, after, ok := strings.Cut(s, ","); ok {
			if split := AcceptsGzip(header("Accept-Encoding", before, after)); split != got {
				t.Errorf("%q as one line: %v, as two: %v", s, got, split)
			}
		}
		if up := AcceptsGzip(header("Accept-Encoding", strings.ToUpper(s))); up != got && !strings.ContainsAny(s, "ıſK") {
			t.Errorf("%q: %v, upper case: %v", s, got, up)
		}
		if spaced := AcceptsGzip(header("Accept-Encoding", strings.ReplaceAll(s, ",", " , "))); spaced != got {
			t.Errorf("%q: %v, spaced: %v", s, got, spaced)
		}
	})
}

// FuzzNotModified: any header is read without a panic, a tag always
// matches itself and its weak form, and "*" matches any tag.
func FuzzNotModified(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc", "d"`, `*`, `"a,b", W/""`, `"x" junk`, "\"\x7f\""} {
		f.Add(s, "abc")
	}
	f.Fuzz(func(t *testing.T, header1, tag string) {
		NotModified(header("If-None-Match", header1), `"`+tag+`"`)
		etag := `"` + tag + `"`
		if _, rest, ok := opaqueTag(etag); !ok || rest != "" {
			return // not a valid tag: nothing promised
		}
		for _, h := range []string{etag, "W/" + etag, "*", `"other", ` + etag} {
			if tag != "other" && !NotModified(header("If-None-Match", h), etag) {
				t.Errorf("If-None-Match %q does not match %s", h, etag)
			}
		}
	})
}
