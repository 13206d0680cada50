package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/assets"
	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/negotiate"
	"campaigntrack/negotiate/negotiatetest"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// publicGETs lists the router's public GET routes with their parameters
// filled in: :slug with the demo campaign, :token with a forged token,
// :code with a packet code no packet has,
// the assets' * with a real asset. Routes under /admin, and those with parameters that cannot be
// filled (:id), are left out.
func publicGETs(t *testing.T, e *echo.Echo) []string {
	var out []string
	for _, r := range e.Routes() {
		p := r.Path
		if r.Method != http.MethodGet || p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.Contains(p, ":id") {
			continue
		}
		p = strings.ReplaceAll(p, ":slug", "no-tech-for-ice")
		p = strings.ReplaceAll(p, ":token", "1.not-a-real-token") // a signer's link: its page refuses this one (404)
		p = strings.ReplaceAll(p, ":code", "ABCDE-FGHIJ")         // a packet's check page: no packet has it (404)
		if p == assets.Prefix+"*" {
			p = assets.Path("app.css")
		}
		if strings.ContainsAny(p, ":*") {
			t.Fatalf("route %s has a parameter this test cannot fill", r.Path)
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// serve sends one request straight to the router with the cookies and
// headers given.
func serve(e *echo.Echo, method, path string, cookies []*http.Cookie, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestEveryPublicPageIsNegotiated walks every public GET route: asked for
// gzip, a text response of more than 1 KB comes gzipped and decodes to the
// plain response's bytes; not asked, it is plain; both say Vary:
// Accept-Encoding; HEAD gives the GET's headers; and the ETag, where there
// is one, brings a 304. Error pages go out plain (a 404 for a made-up
// address is among the paths). With the page cache on and off, so both the
// cache's precompressed page and the middleware's are covered.
func TestEveryPublicPageIsNegotiated(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		if _, err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		for _, ttl := range []time.Duration{0, time.Minute} {
			e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: ttl}).Router()
			paths := publicGETs(t, e)
			var gzipped []string
			for _, p := range append(paths, "/campaigns/never-was") {
				if checkNegotiated(t, e, p) {
					gzipped = append(gzipped, p)
				}
			}
			// The pages and files that matter must be among them, or the
			// walk tested nothing.
			for _, want := range []string{"/", "/campaigns/no-tech-for-ice", timelinePath, timelinePath + ".atom",
				"/campaigns/no-tech-for-ice/responses", "/campaigns/no-tech-for-ice/deliveries",
				"/campaigns/no-tech-for-ice/actions.csv", "/api/campaigns/no-tech-for-ice", assets.Path("app.css")} {
				if !slices.Contains(gzipped, want) {
					t.Errorf("page cache %v: %s did not come gzipped (gzipped: %v)", ttl, want, gzipped)
				}
			}
		}
	})
}

// checkNegotiated checks one path and reports whether it came gzipped.
func checkNegotiated(t *testing.T, e *echo.Echo, path string) bool {
	t.Helper()
	first := serve(e, http.MethodGet, path, nil)
	cookies := first.Result().Cookies() // the same CSRF nonce, so the same page, every time
	plain := serve(e, http.MethodGet, path, cookies)
	gz := serve(e, http.MethodGet, path, cookies, "Accept-Encoding", "gzip")
	if plain.Code != gz.Code {
		t.Errorf("%s: %d plain, %d gzip", path, plain.Code, gz.Code)
		return false
	}
	ph, gh := plain.Header(), gz.Header()
	if ph.Get("Content-Encoding") != "" {
		t.Errorf("%s: Content-Encoding %q unasked", path, ph.Get("Content-Encoding"))
	}
	body := gz.Body.Bytes()
	compressed := gh.Get("Content-Encoding") == "gzip"
	if compressed {
		body = negotiatetest.Gunzip(t, body)
	}
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Errorf("%s: the gzip response decodes to other bytes than the plain one", path)
	}
	text := negotiate.Compressible(ph.Get("Content-Type"))
	if big := plain.Body.Len() > negotiate.MinSize && text && plain.Code == http.StatusOK; big != compressed {
		t.Errorf("%s: %d bytes of %s, gzipped %v", path, plain.Body.Len(), ph.Get("Content-Type"), compressed)
	}
	if text && plain.Code == http.StatusOK {
		for _, h := range []http.Header{ph, gh} {
			if v := h.Values("Vary"); slices.IndexFunc(v, func(v string) bool { return v == "Accept-Encoding" }) < 0 || strings.Count(strings.Join(v, ","), "Accept-Encoding") != 1 {
				t.Errorf("%s: Vary %q, want Accept-Encoding once", path, v)
			}
		}
	}
	for _, get := range []*httptest.ResponseRecorder{plain, gz} {
		ae := get.Header().Get("Content-Encoding")
		head := serve(e, http.MethodHead, path, cookies, "Accept-Encoding", ae)
		for _, k := range []string{"Content-Type", "Content-Encoding", "Vary", "ETag", "Cache-Control"} {
			if head.Header().Get(k) != get.Header().Get(k) || head.Code != get.Code {
				t.Errorf("HEAD %s (Accept-Encoding %q): %d %s %q, GET's %d %q", path, ae, head.Code, k, head.Header().Get(k), get.Code, get.Header().Get(k))
			}
		}
		if etag := get.Header().Get("ETag"); etag != "" && get.Code == http.StatusOK {
			again := serve(e, http.MethodGet, path, cookies, "Accept-Encoding", ae, "If-None-Match", etag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
				t.Errorf("%s with If-None-Match %s: %d, %d bytes, ETag %s", path, etag, again.Code, again.Body.Len(), again.Header().Get("ETag"))
			}
		}
	}
	return compressed
}

// flushCounter is a client reading the response as it comes: it keeps the
// bytes and notes how many had arrived at each flush.
type flushCounter struct {
	*httptest.ResponseRecorder
	atFlush []int
}

func (f *flushCounter) Flush() {
	f.atFlush = append(f.atFlush, f.Body.Len())
	f.ResponseRecorder.Flush()
}

// TestSignatureExportStreamsGzipped: the export, gzipped, still reaches
// the client batch by batch (a flush per batch of 5,000, each carrying
// bytes), rather than once the handler is done.
func TestSignatureExportStreamsGzipped(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	ctx := context.Background()
	cp := tlDemo(t, a)
	sigs := make([]*models.Signature, 12_000)
	for i := range sigs {
		sigs[i] = &models.Signature{FirstName: "Signer", LastName: "Number", Email: fmt.Sprintf("s%d@example.org", i),
			City: "Seattle", Region: "WA", Country: "US", PostalCode: "98101", SignedAt: time.Date(2019, 7, 15, 12, 0, 0, 0, time.UTC)}
	}
	if _, err := a.store.ImportSignatures(ctx, cp.ID, testdb.Source(t, a.store, cp.ID, "Test list"), sigs); err != nil {
		t.Fatal(err)
	}
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	u, _ := url.Parse(a.srv.URL)
	req := httptest.NewRequest(http.MethodGet, signaturesPath+".csv", nil)
	for _, c := range b.http.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	rec := &flushCounter{ResponseRecorder: httptest.NewRecorder()}
	a.echo.ServeHTTP(rec, req)

	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("export: %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	// The header, then three batches: each flush sent more than the last,
	// and the last came before the end of the stream.
	if len(rec.atFlush) < 4 || rec.atFlush[0] == 0 || !slices.IsSorted(rec.atFlush) ||
		rec.atFlush[1] == rec.atFlush[0] || rec.atFlush[len(rec.atFlush)-1] >= rec.Body.Len() {
		t.Errorf("flushes at %v of %d bytes", rec.atFlush, rec.Body.Len())
	}
	if lines := bytes.Count(negotiatetest.Gunzip(t, rec.Body.Bytes()), []byte("\n")); lines != 1+len(sigs) {
		t.Errorf("%d lines, want %d", lines, 1+len(sigs))
	}
}
