// Package negotiate owns what a response's bytes depend on besides the
// handler: whether the client takes gzip (Accept-Encoding), whether it
// already holds the current bytes (If-None-Match), and the Vary header
// that tells shared caches so. Gzip (gzip.go) applies all three to every
// response; handlers that encode for themselves (the page cache, the
// assets) ask the same functions, so the rules live here once.
package negotiate

import (
	"net/http"
	"strings"
)

// AcceptsGzip reports whether a request's Accept-Encoding allows a gzip
// response (RFC 9110, section 12.5.3). Codings are case-insensitive and
// x-gzip is gzip; gzip's own weight decides when it is listed, else a "*"
// does. A weight of 0 (0.0, 0.000) refuses, and so does a malformed one
// ("q=2", "q=.5", "q=nonsense"): a weight nobody can read is no invitation.
// Repeated header lines are one list. No header means no compression:
// every client that wants it says so. A refused identity ("identity;q=0")
// with gzip not accepted still gets the plain bytes: they are all there is.
func AcceptsGzip(h http.Header) bool {
	gzipQ, starQ := -1, -1 // thousandths; -1: not listed
	for _, line := range h.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(line, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = trimOWS(coding)
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				gzipQ = max(gzipQ, weight(params))
			case coding == "*":
				starQ = max(starQ, weight(params))
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// weight is the q parameter among params ("q=0.5; x=y"), in thousandths:
// 1000 when there is none, 0 when it is malformed. Other parameters are
// not part of Accept-Encoding's grammar and are ignored.
func weight(params string) int {
	q := 1000
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(trimOWS(k), "q") {
			var ok bool
			if q, ok = qvalue(trimOWS(v)); !ok {
				q = 0
			}
		}
	}
	return q
}

// qvalue parses RFC 9110's qvalue: "0" [ "." 0*3DIGIT ] or
// "1" [ "." 0*3"0" ], in thousandths.
func qvalue(s string) (int, bool) {
	if s == "" || len(s) > 5 || (len(s) > 1 && s[1] != '.') {
		return 0, false
	}
	frac := s[min(len(s), 2):]
	n := 0
	for i := range 3 {
		n *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			n += int(frac[i] - '0')
		}
	}
	switch {
	case s[0] == '0':
		return n, true
	case s[0] == '1' && n == 0:
		return 1000, true
	}
	return 0, false
}

// NotModified reports whether a request's If-None-Match names etag, or is
// "*", so that a GET or HEAD may be answered 304 (RFC 9110, section
// 13.1.2). The comparison is weak, as that section has it: W/ prefixes on
// either side are ignored. Tags may hold commas, so the list is read tag by
// tag, not split; at the first malformed element the rest of that line is
// not read, which can only mean a full answer where a 304 might have done.
// Repeated header lines are one list.
func NotModified(h http.Header, etag string) bool {
	want, rest, ok := opaqueTag(etag)
	if !ok || trimOWS(rest) != "" {
		return false
	}
	for _, line := range h.Values("If-None-Match") {
		s := line
		for {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			var tag string
			if s[0] == '*' {
				tag, rest, ok = want, s[1:], true // "*": any current representation
			} else {
				tag, rest, ok = opaqueTag(s)
			}
			if rest = trimOWS(rest); !ok || (rest != "" && rest[0] != ',') {
				break // malformed: nothing more on this line can be trusted
			}
			if tag == want {
				return true
			}
			s = rest
		}
	}
	return false
}

// opaqueTag reads one entity-tag ([W/] DQUOTE *etagc DQUOTE) at the start
// of s and returns what is between its quotes, and what follows it.
func opaqueTag(s string) (tag, rest string, ok bool) {
	s = strings.TrimPrefix(s, "W/")
	if s == "" || s[0] != '"' {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", s, false
	}
	tag = s[1 : 1+end]
	for i := 0; i < len(tag); i++ {
		if tag[i] < 0x21 || tag[i] == 0x7f { // etagc: no controls, spaces or DEL
			return "", s, false
		}
	}
	return tag, s[2+end:], true
}

// GzipETag is the ETag of the gzipped bytes of a representation whose
// plain bytes have etag: a tag of its own, because the bytes differ and a
// cache revalidating one must not be told it holds the other.
func GzipETag(etag string) string {
	if !strings.HasSuffix(etag, `"`) || len(etag) < 2 {
		return etag
	}
	return etag[:len(etag)-1] + `-gz"`
}

// WriteNotModified answers 304, dropping the headers that describe a body
// it does not carry (as net/http's ServeContent does); ETag, Vary and
// Cache-Control stay, so a cache can update what it holds.
func WriteNotModified(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Content-Disposition"} {
		delete(h, k)
	}
	w.WriteHeader(http.StatusNotModified)
}

// AddVary adds field to the response's Vary unless it is there already
// (in any case, on any line) or Vary is "*"; other values are kept.
func AddVary(h http.Header, field string) {
	for _, line := range h.Values("Vary") {
		for v := range strings.SplitSeq(line, ",") {
			if v = trimOWS(v); v == "*" || strings.EqualFold(v, field) {
				return
			}
		}
	}
	h.Add("Vary", field)
}

// trimOWS trims HTTP's optional whitespace: spaces and tabs.
func trimOWS(s string) string { return strings.Trim(s, " \t") }
