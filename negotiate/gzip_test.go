package negotiate

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"campaigntrack/negotiate/negotiatetest"
)

func serve(h http.Handler, method string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	Gzip(h).ServeHTTP(w, r)
	return w
}

// body answers with n bytes of text of the content type, in writes of
// chunk bytes, with an ETag when etag is set.
func body(contentType string, n, chunk int, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		b := []byte(strings.Repeat("<p>some text</p>", n/16+1)[:n])
		for len(b) > 0 {
			k := min(chunk, len(b))
			w.Write(b[:k])
			b = b[k:]
		}
	})
}

func TestGzipsTextOverMinSize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		contentType string
		size, chunk int
		accept      string
		want        bool
	}{
		{"page", "text/html; charset=utf-8", 20000, 20000, "gzip", true},
		{"page in small writes", "text/html; charset=utf-8", 20000, 100, "gzip", true},
		{"one byte over", "text/html", MinSize + 1, 1, "gzip", true},
		{"exactly MinSize", "text/html", MinSize, 1, "gzip", false},
		{"small", "application/json", 200, 200, "gzip", false},
		{"not asked", "text/html", 20000, 20000, "", false},
		{"refused", "text/html", 20000, 20000, "gzip;q=0", false},
		{"an image", "image/png", 20000, 20000, "gzip", false},
		{"no type", "", 20000, 20000, "gzip", false},
	} {
		want := []byte(strings.Repeat("<p>some text</p>", c.size/16+1)[:c.size])
		w := serve(body(c.contentType, c.size, c.chunk, ""), http.MethodGet, "Accept-Encoding", c.accept)
		got := w.Body.Bytes()
		if gz := w.Header().Get("Content-Encoding") == "gzip"; gz != c.want {
			t.Errorf("%s: gzipped %v, want %v", c.name, gz, c.want)
		} else if gz {
			got = negotiatetest.Gunzip(t, got)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: body differs (%d bytes, want %d)", c.name, len(got), len(want))
		}
		if vary := w.Header().Get("Vary"); (vary == "Accept-Encoding") != Compressible(c.contentType) {
			t.Errorf("%s: Vary %q", c.name, vary)
		}
	}
}

func TestHeadGetsTheSameHeaders(t *testing.T) {
	t.Parallel()
	h := body("text/html", 5000, 5000, `"v1"`)
	get := serve(h, http.MethodGet, "Accept-Encoding", "gzip")
	head := serve(h, http.MethodHead, "Accept-Encoding", "gzip")
	for _, k := range []string{"Content-Encoding", "Vary", "ETag", "Content-Type"} {
		if get.Header().Get(k) != head.Header().Get(k) {
			t.Errorf("%s: GET %q, HEAD %q", k, get.Header().Get(k), head.Header().Get(k))
		}
	}
}

func TestNotModifiedForTheBytesSent(t *testing.T) {
	t.Parallel()
	h := body("application/atom+xml", 5000, 5000, `"v1"`)
	for _, c := range []struct {
		name, accept, ifNoneMatch string
		want                      int
		etag                      string
	}{
		{"plain, its tag", "", `"v1"`, http.StatusNotModified, `"v1"`},
		{"gzip, its tag", "gzip", `"v1-gz"`, http.StatusNotModified, `"v1-gz"`},
		{"gzip, weak", "gzip", `W/"v1-gz"`, http.StatusNotModified, `"v1-gz"`},
		{"star", "gzip", `*`, http.StatusNotModified, `"v1-gz"`},
		{"gzip, the plain tag", "gzip", `"v1"`, http.StatusOK, `"v1-gz"`},
		{"plain, the gzip tag", "", `"v1-gz"`, http.StatusOK, `"v1"`},
		{"another", "gzip", `"v0-gz"`, http.StatusOK, `"v1-gz"`},
	} {
		w := serve(h, http.MethodGet, "Accept-Encoding", c.accept, "If-None-Match", c.ifNoneMatch)
		if w.Code != c.want || w.Header().Get("ETag") != c.etag {
			t.Errorf("%s: %d ETag %s, want %d %s", c.name, w.Code, w.Header().Get("ETag"), c.want, c.etag)
		}
		if w.Code == http.StatusNotModified {
			if w.Body.Len() != 0 || w.Header().Get("Vary") != "Accept-Encoding" || w.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: 304 with %d bytes, Vary %q, Content-Encoding %q", c.name, w.Body.Len(), w.Header().Get("Vary"), w.Header().Get("Content-Encoding"))
			}
		}
	}
	// A small body or one that is not text is answered 304 as well.
	for _, h := range []http.Handler{body("text/html", 10, 10, `"s"`), body("image/png", 5000, 5000, `"s"`)} {
		if w := serve(h, http.MethodGet, "Accept-Encoding", "gzip", "If-None-Match", `"s"`); w.Code != http.StatusNotModified {
			t.Errorf("small or image with its tag: %d", w.Code)
		}
	}
}

func TestPassesEncodedAndOtherResponses(t *testing.T) {
	t.Parallel()
	pre := []byte("already gzipped bytes, say")
	encoded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bytes.Repeat(pre, 100))
	})
	w := serve(encoded, http.MethodGet, "Accept-Encoding", "gzip")
	if !bytes.Equal(w.Body.Bytes(), bytes.Repeat(pre, 100)) || w.Header().Get("Vary") != "" {
		t.Errorf("a precompressed body was changed (Vary %q)", w.Header().Get("Vary"))
	}
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusSeeOther)
		w.Write(bytes.Repeat([]byte("x"), 5000))
	})
	if w := serve(redirect, http.MethodGet, "Accept-Encoding", "gzip"); w.Code != http.StatusSeeOther || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("a redirect: %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	}
	if w := serve(body("text/html", 5000, 5000, ""), http.MethodPost, "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "" {
		t.Error("a POST answer was compressed")
	}
	notFound := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("ETag", `"e"`)
		w.WriteHeader(http.StatusNotFound)
		w.Write(bytes.Repeat([]byte("<p>gone</p>"), 500))
	})
	w = serve(notFound, http.MethodGet, "Accept-Encoding", "gzip", "If-None-Match", `"e"`)
	if w.Code != http.StatusNotFound || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("an error page: %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	}
}

// streamRecorder is a client reading a gzipped stream as it arrives: it
// keeps no body, only how many bytes had come at each flush, and
// decompresses as it goes.
type streamRecorder struct {
	header  http.Header
	status  int
	pw      *io.PipeWriter
	written int
	atFlush []int
}

func (s *streamRecorder) Header() http.Header { return s.header }
func (s *streamRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
func (s *streamRecorder) Write(p []byte) (int, error) {
	s.written += len(p)
	return s.pw.Write(p)
}
func (s *streamRecorder) Flush() { s.atFlush = append(s.atFlush, s.written) }

// A streamed export reaches the client batch by batch, compressed, and is
// never held whole: what is allocated stays far below its size.
func TestStreamsWithFlushes(t *testing.T) {
	const batches, batchSize = 400, 50_000 // 20 MB
	var row strings.Builder
	for i := 0; row.Len() < batchSize; i++ {
		row.WriteString("Ada,Lopez,ada")
		row.WriteString(strings.Repeat("x", i%17))
		row.WriteString("@example.org,Seattle,WA,US\n")
	}
	batch := []byte(row.String())
	pr, pw := io.Pipe()
	rec := &streamRecorder{header: http.Header{}, pw: pw}
	decoded := make(chan int64)
	go func() {
		zr, err := gzip.NewReader(pr)
		if err != nil {
			decoded <- -1
			return
		}
		n, _ := io.Copy(io.Discard, zr)
		decoded <- n
	}()
	midway := -1
	export := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("first_name,last_name,email\n"))
		w.(http.Flusher).Flush() // the header alone, before 1 KB
		for i := range batches {
			w.Write(batch)
			http.NewResponseController(w).Flush()
			if i == batches/2 {
				midway = rec.written
			}
		}
	})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Gzip(export).ServeHTTP(rec, r)
	runtime.ReadMemStats(&after)
	pw.Close()

	total := len("first_name,last_name,email\n") + batches*len(batch)
	if rec.header.Get("Content-Encoding") != "gzip" {
		t.Fatal("the export was not compressed")
	}
	if n := <-decoded; n != int64(total) {
		t.Errorf("%d bytes decoded, want %d", n, total)
	}
	if len(rec.atFlush) != batches+1 || rec.atFlush[0] == 0 || midway <= 0 || midway >= rec.written {
		t.Errorf("%d flushes (want %d), %v bytes at the first, %d of %d midway", len(rec.atFlush), batches+1, rec.atFlush[:1], midway, rec.written)
	}
	// The gzip writer and reader cost about 1.3 MB, whatever the size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3<<20 {
		t.Errorf("allocated %d bytes for a %d-byte export", alloc, total)
	}
}

// BenchmarkGzipPage is the middleware's cost on a 24 KB page.
func BenchmarkGzipPage(b *testing.B) {
	h := body("text/html; charset=utf-8", 24000, 24000, "")
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		Gzip(h).ServeHTTP(httptest.NewRecorder(), r)
	}
}
