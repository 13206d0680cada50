// Package assets embeds the stylesheets, scripts and images the pages use
// and serves them under a URL that carries a hash of their content, so
// browsers may cache them for a year and still never see a stale file.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"campaigntrack/negotiate"
)

//go:embed static
var files embed.FS

// Prefix is the URL path assets are served under.
const Prefix = "/assets/"

type asset struct {
	body        []byte
	contentType string
	etag        string
	// gz is body gzipped once at start-up, for the text types (CSS,
	// JavaScript, SVG, text), nil for others and where it would not be
	// smaller. It has an ETag of its own: the bytes differ, and a cache
	// must not answer a request for one encoding with the other.
	gz     []byte
	gzETag string
}

// compressible lists the extensions worth gzipping: text. Images other
// than SVG and fonts are compressed already.
var compressible = map[string]bool{".css": true, ".js": true, ".svg": true, ".txt": true}

var (
	byURL  = map[string]asset{}  // hashed name -> asset
	hashed = map[string]string{} // plain name -> hashed name
)

func init() {
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hname := strings.TrimSuffix(name, ext) + "." + h + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a := asset{body: body, contentType: ct, etag: `"` + h + `"`}
		if compressible[ext] {
			gz, err := gzipBytes(body)
			if err != nil {
				return err
			}
			if len(gz) < len(body) {
				a.gz, a.gzETag = gz, negotiate.GzipETag(a.etag)
			}
		}
		hashed[name] = hname
		byURL[hname] = a
		return nil
	})
	if err != nil {
		panic("assets: " + err.Error())
	}
}

// Path returns the URL of the named asset ("app.css") with its content
// hash. An unknown name panics: it is a programming error caught by any
// test that renders the page.
func Path(name string) string {
	h, ok := hashed[name]
	if !ok {
		panic("assets: no asset named " + name)
	}
	return Prefix + h
}

// gzipBytes compresses b at the best level: it runs once per asset at
// start-up, so the time is spent once and every response is smaller.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Handler serves hashed asset URLs with a year-long immutable cache. Any
// other name is a 404. Text assets go out gzipped to clients that accept
// it; their responses carry Vary: Accept-Encoding either way, so a shared
// cache keeps the two apart. What the client accepts and holds is read by
// package negotiate, as for every other response; the middleware there
// leaves these alone, since they carry their Content-Encoding already.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byURL[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		body, etag, gzipped := a.body, a.etag, false
		if a.gz != nil {
			negotiate.AddVary(h, "Accept-Encoding")
			if negotiate.AcceptsGzip(r.Header) {
				body, etag, gzipped = a.gz, a.gzETag, true
			}
		}
		h.Set("ETag", etag)
		if negotiate.NotModified(r.Header, etag) {
			negotiate.WriteNotModified(w)
			return
		}
		if gzipped {
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}
