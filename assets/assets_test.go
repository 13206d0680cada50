package assets

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"campaigntrack/negotiate/negotiatetest"
)

func get(t *testing.T, url string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, r)
	return w
}

func TestPathIsHashed(t *testing.T) {
	t.Parallel()
	p := Path("us-states.svg")
	if !strings.HasPrefix(p, Prefix+"us-states.") || !strings.HasSuffix(p, ".svg") || len(p) != len(Prefix+"us-states.123456789012.svg") {
		t.Errorf("Path(us-states.svg) = %q", p)
	}
	defer func() {
		if recover() == nil {
			t.Error("Path of an unknown asset did not panic")
		}
	}()
	Path("no-such-file.css")
}

func TestServesGzipWhenAccepted(t *testing.T) {
	t.Parallel()
	want, err := files.ReadFile("static/us-states.svg")
	if err != nil {
		t.Fatal(err)
	}
	url := Path("us-states.svg")

	plain := get(t, url)
	if plain.Code != http.StatusOK || !bytes.Equal(plain.Body.Bytes(), want) {
		t.Fatalf("plain: %d, %d bytes; want 200, %d bytes", plain.Code, plain.Body.Len(), len(want))
	}
	if ce := plain.Header().Get("Content-Encoding"); ce != "" {
		t.Errorf("plain: Content-Encoding %q", ce)
	}

	gz := get(t, url, "Accept-Encoding", "gzip, deflate, br")
	if gz.Code != http.StatusOK || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %d, Content-Encoding %q", gz.Code, gz.Header().Get("Content-Encoding"))
	}
	if !bytes.Equal(negotiatetest.Gunzip(t, gz.Body.Bytes()), want) {
		t.Error("gzip: the body does not decompress to the file")
	}
	if gz.Body.Len() >= len(want) {
		t.Errorf("gzip: %d bytes, no smaller than %d", gz.Body.Len(), len(want))
	}
	if cl := gz.Header().Get("Content-Length"); cl != strconv.Itoa(gz.Body.Len()) {
		t.Errorf("gzip: Content-Length %s for %d bytes", cl, gz.Body.Len())
	}

	for _, w := range []*httptest.ResponseRecorder{plain, gz} {
		if v := w.Header().Get("Vary"); v != "Accept-Encoding" {
			t.Errorf("Vary %q, want Accept-Encoding", v)
		}
		if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("Cache-Control %q", cc)
		}
	}
	if plain.Header().Get("ETag") == gz.Header().Get("ETag") || gz.Header().Get("ETag") == "" {
		t.Errorf("ETags: plain %q, gzip %q; want two different", plain.Header().Get("ETag"), gz.Header().Get("ETag"))
	}
}

func TestNotModified(t *testing.T) {
	t.Parallel()
	url := Path("app.css")
	plainTag := get(t, url).Header().Get("ETag")
	gzTag := get(t, url, "Accept-Encoding", "gzip").Header().Get("ETag")

	for _, c := range []struct {
		name, acceptEncoding, ifNoneMatch string
		want                              int
	}{
		{"plain, its own tag", "", plainTag, http.StatusNotModified},
		{"gzip, its own tag", "gzip", gzTag, http.StatusNotModified},
		{"weak form", "gzip", "W/" + gzTag, http.StatusNotModified},
		{"in a list", "", `"other", ` + plainTag, http.StatusNotModified},
		{"star", "gzip", "*", http.StatusNotModified},
		// A cache holding the plain bytes must not be told they are the
		// gzipped ones, nor the other way round.
		{"gzip, the plain tag", "gzip", plainTag, http.StatusOK},
		{"plain, the gzip tag", "", gzTag, http.StatusOK},
		{"another tag", "gzip", `"0123456789ab"`, http.StatusOK},
	} {
		header := []string{"If-None-Match", c.ifNoneMatch}
		if c.acceptEncoding != "" {
			header = append(header, "Accept-Encoding", c.acceptEncoding)
		}
		w := get(t, url, header...)
		if w.Code != c.want {
			t.Errorf("%s: status %d, want %d", c.name, w.Code, c.want)
		}
		if w.Code == http.StatusNotModified {
			if w.Body.Len() != 0 || w.Header().Get("ETag") == "" || w.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("%s: 304 with %d body bytes, ETag %q, Vary %q", c.name, w.Body.Len(), w.Header().Get("ETag"), w.Header().Get("Vary"))
			}
		}
	}
}

// Every text asset has a gzip copy that decompresses to it, and nothing
// else has one.
func TestEveryGzipCopy(t *testing.T) {
	t.Parallel()
	if len(byURL) == 0 {
		t.Fatal("no assets")
	}
	for name, a := range byURL {
		ext := name[strings.LastIndex(name, "."):]
		if compressible[ext] != (a.gz != nil) {
			t.Errorf("%s: gzip copy %v, compressible %v", name, a.gz != nil, compressible[ext])
			continue
		}
		if a.gz != nil && !bytes.Equal(negotiatetest.Gunzip(t, a.gz), a.body) {
			t.Errorf("%s: gzip copy differs from the file", name)
		}
	}
}

func TestUnknownIs404(t *testing.T) {
	t.Parallel()
	for _, u := range []string{Prefix + "us-states.svg", Prefix + "nope.css", Prefix} {
		if w := get(t, u, "Accept-Encoding", "gzip"); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", u, w.Code)
		}
	}
}
