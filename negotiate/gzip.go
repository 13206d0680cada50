package negotiate

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// MinSize is the largest body sent plain however the client asks: below
// it, gzip's 18 bytes of framing and the work outweigh what it saves.
const MinSize = 1024

// level is the compression level of responses gzipped as they go out.
// BestSpeed, measured on the seeded timeline page (19.3 KB, handlers'
// BenchmarkGzipLevels, one run on a loaded 2-core machine): 4,729 bytes in
// 0.44-0.58 ms, against 4,089 bytes in 1.28 ms for DefaultCompression and
// 4,052 in 1.1-2.1 ms for BestCompression. A sixth more bytes for a third
// of the CPU; and a 36 MB signature export at DefaultCompression would
// take seconds of a core. Precompressed bodies (the page cache, the
// assets) are compressed once, at the best level, instead.
const level = gzip.BestSpeed

// writers keeps gzip writers between responses: a new one costs its
// window and hash tables (hundreds of KB) in allocations.
var writers = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, level) // only fails for a bad level
	return zw
}}

// Gzip is the one place responses are compressed and answered 304. For a
// GET or HEAD answered 200, with a text-like Content-Type and no
// Content-Encoding already, it sets Vary:
// Accept-Encoding (compressed or not, so a shared cache keeps the two
// apart) and gzips the body when the client accepts gzip and the body is
// more than MinSize. A 200 with an ETag is answered 304 when If-None-Match
// names it; a gzipped body's ETag is GzipETag of the handler's.
//
// Only the first MinSize bytes are held back to decide; after that the
// body streams through the gzip writer, and a handler's Flush reaches the
// client (a flush before MinSize decides for gzip: a body being streamed
// is not known to stay small). An export of any size is never held.
// Responses that already carry a Content-Encoding (the page cache's
// precompressed page, the assets' precompressed files) pass untouched, and
// so do other statuses: error pages are not rendered for HEAD (its headers
// would then differ from the GET's), and a flood of requests for made-up
// addresses should cost as little as it can.
func Gzip(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		rw := &responseWriter{ResponseWriter: w, req: r}
		defer rw.finish()
		next.ServeHTTP(rw, r)
	})
}

type mode int

const (
	undecided  mode = iota // header held, the first bytes buffered
	plain                  // passed through as it comes
	compressed             // through zw
	discarded              // a 304 went out: the body is dropped
)

// responseWriter is Gzip's writer for one response.
type responseWriter struct {
	http.ResponseWriter
	req    *http.Request
	status int // 0 until the handler's header
	mode   mode
	buf    []byte // the held bytes while undecided, fewer than MinSize
	zw     *gzip.Writer
}

// Unwrap lets http.ResponseController reach the connection.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *responseWriter) WriteHeader(code int) {
	switch {
	case code < 200: // informational: not the response, pass it on
		w.ResponseWriter.WriteHeader(code)
		return
	case w.status != 0: // a second header: net/http would ignore it too
		return
	}
	w.status = code
	h := w.Header()
	if code != http.StatusOK || h.Get("Content-Encoding") != "" {
		w.send(plain)
		return
	}
	if !Compressible(h.Get("Content-Type")) {
		w.decide(plain)
		return
	}
	AddVary(h, "Accept-Encoding")
	if !AcceptsGzip(w.req.Header) || knownSmall(h) {
		w.decide(plain)
	}
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	switch w.mode {
	case undecided:
		if len(w.buf)+len(p) <= MinSize {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.decide(compressed)
		return w.Write(p)
	case compressed:
		return w.zw.Write(p)
	case discarded:
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// Flush sends what the handler wrote so far on to the client.
func (w *responseWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.mode == undecided {
		w.decide(compressed)
	}
	if w.mode == compressed {
		w.zw.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// decide settles how the body goes out, m being plain or compressed: the
// ETag it will carry is then known, so this is where a 304 is answered.
func (w *responseWriter) decide(m mode) {
	h := w.Header()
	if m == compressed {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		if etag := h.Get("ETag"); etag != "" {
			h.Set("ETag", GzipETag(etag))
		}
	}
	if NotModified(w.req.Header, h.Get("ETag")) {
		WriteNotModified(w.ResponseWriter)
		w.mode, w.buf = discarded, nil
		return
	}
	w.send(m)
}

// send writes the header and the held bytes.
func (w *responseWriter) send(m mode) {
	w.mode = m
	w.ResponseWriter.WriteHeader(w.status)
	if m == compressed {
		w.zw = writers.Get().(*gzip.Writer)
		w.zw.Reset(w.ResponseWriter)
	}
	if len(w.buf) > 0 {
		w.Write(w.buf)
		w.buf = nil
	}
}

// finish sends a body that stayed under MinSize, plain, or ends the gzip
// stream. A write error here is the client gone; nobody is left to tell.
func (w *responseWriter) finish() {
	switch w.mode {
	case undecided:
		if w.status != 0 {
			w.decide(plain)
		}
	case compressed:
		w.zw.Close()
		w.zw.Reset(io.Discard) // drop the connection's writer before pooling
		writers.Put(w.zw)
		w.zw = nil
	}
}

// knownSmall reports whether the handler declared a body of MinSize or
// less, so nothing need be held back to know it.
func knownSmall(h http.Header) bool {
	n, err := strconv.Atoi(h.Get("Content-Length"))
	return err == nil && n <= MinSize
}

// Compressible reports whether a Content-Type is text that gzip shrinks:
// text/*, JSON, XML (Atom, SVG) and JavaScript. Images other than SVG,
// fonts and archives are compressed already.
func Compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(trimOWS(mt))
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"):
		return true
	}
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/x-ndjson":
		return true
	}
	return false
}
