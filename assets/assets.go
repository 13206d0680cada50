// Package assets embeds the stylesheets, scripts and images the pages use
// and serves them under a URL that carries a hash of their content, so
// browsers may cache them for a year and still never see a stale file.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var files embed.FS

// Prefix is the URL path assets are served under.
const Prefix = "/assets/"

type asset struct {
	body        []byte
	contentType string
	etag        string
}

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
		hashed[name] = hname
		byURL[hname] = asset{body: body, contentType: ct, etag: `"` + h + `"`}
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

// Handler serves hashed asset URLs with a year-long immutable cache. Any
// other name is a 404.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byURL[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("ETag", a.etag)
		if r.Header.Get("If-None-Match") == a.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(a.body)
	})
}
