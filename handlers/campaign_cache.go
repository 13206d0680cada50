// The page cache (this file) keeps each campaign's rendered page for a
// second and serves it with the visitor's CSRF token put in, plain or
// through the token splice (page_gzip.go), as negotiate.AcceptsGzip
// decides. The count page ("How the count is made", count.go) has a cache
// of its own, the same kind: it has no token, so it is served as stored.
// So has the campaign's JSON (campaigns.go), with the live kept counts
// put in at the placeholder, as the token is in a page: a client that
// signs and reads the JSON sees its signature at once, while the rest
// (claims, places, sources) is up to the cache time old. Measured with
// the load tool (README, Performance) against the cached campaign page.
//
// What it buys, measured on a loaded 2-core machine (2 December 2026),
// BenchmarkPages' campaign page (plain): 101 µs and 66 allocations a
// request with the cache, 6.2 ms and 3,783 allocations with
// --page-cache 0, about 60 times less work; the README's 20,000 req/s
// target is out of reach without it. The count page, BenchmarkCountPage
// (3 December 2026, 10 sources): 34 µs and 42 allocations cached, 475 µs
// and 2,220 allocations uncached, beside the campaign page's 43 µs
// cached in the same run; the target (the count page at half the
// campaign page's requests a second) needs the cache.
//
// What breaks if it is changed: a cached page is shared by every visitor,
// so it may hold nothing of one visitor but the token, which goes in at
// the placeholder (a signed-in name or a flash message put in the page
// would be shown to everyone); the count it shows is up to the cache time
// old; and the cache is keyed by campaign id and checked against the slug
// and UpdatedAt, or a rename or an edit would show the old page.

package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/negotiate"
)

// csrfPlaceholder stands for the visitor's CSRF token in a cached page;
// each response puts the visitor's own token in its place.
const csrfPlaceholder = "CSRFPLACEHOLDERb0c7f3a1e9d24c6f8a5e"

// pageCache keeps each campaign's rendered page for ttl
// (CAMPAIGNTRACK_PAGE_CACHE, 1 s by default), per instance. A front-page
// surge then costs one render a second per campaign, not one per visitor;
// the count a cached page shows is at most ttl old (the answer to a
// signature reads the counter itself). While one request renders a stale
// page again, the others are served the stale copy instead of queueing
// behind it. With ttl 0 every request renders.
//
// Pages are keyed by the campaign's id, and each remembers the slug and
// the last change of the campaign it was rendered from: the campaign comes
// from campaignCache (as old as ttl at most), and a page of another slug
// or an older version is never served. After a rename or an edit the
// instance that made it shows the new page at once (it forgets its cached
// campaign), and every other instance within ttl. Only campaigns that exist
// have a page here, so requests for made-up slugs add nothing.
//
// A page may come in variants (the timeline by kind and city, a packet's
// check page by its code): each is kept under the campaign's id and its
// variant. The plain page's variant is "". A variant named by the
// visitor (a city typed into the address) could be made up without end,
// so at most maxVariants of them are kept per cache; past that, expired
// ones are dropped and, if none has expired, the page is served without
// being kept, rendered each time as it would be with no cache.
type pageCache struct {
	ttl      time.Duration
	etags    bool // each page carries a strong ETag of its bytes (the feeds)
	mu       sync.Mutex
	entries  map[pageKey]*cachedPage
	variants int // entries with a variant other than ""
}

type pageKey struct {
	campaign uint
	lang     string // the language and the offer the page carries (locale.Request.CacheKey)
	variant  string
}

// maxVariants bounds a cache's entries other than the campaigns' plain
// pages: a few hundred pages of tens of kilobytes.
const maxVariants = 256

type cachedPage struct {
	before, after []byte // the page split around the CSRF placeholder
	gzip          *gzipParts
	hasToken      bool
	expires       time.Time
	rendering     bool
	slug          string    // the address it was rendered for
	version       time.Time // the campaign's UpdatedAt when it was rendered
	etag          string    // a strong ETag of the plain bytes, when the cache has etags
}

func newPageCache(ttl time.Duration) *pageCache {
	return &pageCache{ttl: ttl, entries: map[pageKey]*cachedPage{}}
}

// newFeedCache is a page cache whose pages carry ETags, for feeds that
// readers poll.
func newFeedCache(ttl time.Duration) *pageCache {
	pc := newPageCache(ttl)
	pc.etags = true
	return pc
}

// get returns a fresh or stale page of the campaign, and whether the
// caller should render it again (it is missing, or stale and nobody else
// is on it). A page of the campaign's previous slug or settings is as good
// as missing: it is not served even while another request renders.
func (pc *pageCache) get(cp *models.Campaign, lang, variant string, now time.Time) (page *cachedPage, mustRender bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p := pc.entries[pageKey{cp.ID, lang, variant}]
	switch {
	case p == nil || pc.ttl == 0 || p.slug != cp.Slug || !p.version.Equal(cp.UpdatedAt):
		return nil, true
	case now.Before(p.expires) || p.rendering:
		return p, false
	default:
		p.rendering = true
		return p, true
	}
}

// store keeps a freshly rendered page and returns it. The page is split
// and compressed before the lock is taken: compressing takes a millisecond
// or two, which no other visitor should wait for.
// A page whose type is not compressible (an image) is kept plain only.
func (pc *pageCache) store(cp *models.Campaign, lang, variant string, body []byte, now time.Time, compressible bool) *cachedPage {
	p := &cachedPage{expires: now.Add(pc.ttl), slug: cp.Slug, version: cp.UpdatedAt}
	if pc.etags {
		sum := sha256.Sum256(body)
		p.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	}
	if i := bytes.Index(body, []byte(csrfPlaceholder)); i >= 0 {
		p.before, p.after, p.hasToken = body[:i], body[i+len(csrfPlaceholder):], true
	} else {
		p.before = body
	}
	if pc.ttl == 0 {
		return p // served once: not worth compressing or keeping
	}
	if compressible {
		p.gzip, _ = newGzipParts(p.before, p.after) // on failure, served plain
	}
	key := pageKey{cp.ID, lang, variant}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if _, replacing := pc.entries[key]; variant != "" && !replacing {
		if pc.variants >= maxVariants {
			pc.dropExpired(now)
		}
		if pc.variants >= maxVariants {
			return p // served once, not kept
		}
		pc.variants++
	}
	pc.entries[key] = p
	return p
}

// dropExpired forgets the expired variants; pc.mu is held.
func (pc *pageCache) dropExpired(now time.Time) {
	for k, p := range pc.entries {
		if k.variant != "" && !now.Before(p.expires) && !p.rendering {
			delete(pc.entries, k)
			pc.variants--
		}
	}
}

// abandon clears the mark of a render that failed, so the next request
// tries again; meanwhile the previous copy is served.
func (pc *pageCache) abandon(cp *models.Campaign, lang, variant string) {
	pc.mu.Lock()
	if p := pc.entries[pageKey{cp.ID, lang, variant}]; p != nil {
		p.rendering = false
	}
	pc.mu.Unlock()
}

// serveCached serves a campaign's page from pc, rendering it first when
// the cached copy is missing or stale (see get). When a render fails, the
// previous copy, if there is one, is served and the failure logged; with
// none, the error is the answer (a 404 of a packet code that finds none
// is never kept).
//
// token goes in at the page's placeholder: the visitor's CSRF token on a
// page with a form, the live counts in the campaign's JSON.
func (h *Handler) serveCached(c echo.Context, pc *pageCache, cp *models.Campaign, what, contentType, token string, render func() ([]byte, error)) error {
	return h.serveVariant(c, pc, cp, "", what, contentType, token, render)
}

// serveVariant is serveCached for one variant of a campaign's page.
func (h *Handler) serveVariant(c echo.Context, pc *pageCache, cp *models.Campaign, variant, what, contentType, token string, render func() ([]byte, error)) error {
	now := h.now()
	// Each language is a page of its own, and so is the English page that
	// offers a visitor the Spanish one.
	lang := locale.RequestOf(c.Request().Context()).CacheKey()
	page, mustRender := pc.get(cp, lang, variant, now)
	if mustRender {
		fresh, err := render()
		switch {
		case err == nil:
			page = pc.store(cp, lang, variant, fresh, now, negotiate.Compressible(contentType))
		case page == nil:
			return err
		default:
			pc.abandon(cp, lang, variant)
			h.log.Error(what+": serving the previous copy", "slug", cp.Slug, "error", err)
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, contentType)
	// An image has no gzip copy: it goes out as it is, as the Gzip
	// middleware would send it.
	return page.write(c.Response(), c.Request().Header, token)
}

// servePage is serveVariant for a page drawn by a templ component, with
// no token in it.
func (h *Handler) servePage(c echo.Context, pc *pageCache, cp *models.Campaign, variant, what string, page func() (templ.Component, error)) error {
	return h.serveVariant(c, pc, cp, variant, what, echo.MIMETextHTMLCharsetUTF8, "", func() ([]byte, error) {
		comp, err := page()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := comp.Render(c.Request().Context(), &buf); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
}

// write sends the page with the visitor's token in place, in one Write
// with its length known: three writes through net/http's chunked encoding
// cost a dozen system calls a page, the largest part of serving it.
//
// A page with an ETag is answered 304 when the request's If-None-Match
// names the tag of the bytes it would get (a gzipped copy has a tag of
// its own, negotiate.GzipETag), as negotiate.Gzip answers other pages.
func (p *cachedPage) write(w http.ResponseWriter, req http.Header, token string) error {
	if !p.hasToken {
		token = ""
	}
	gzipOK := negotiate.AcceptsGzip(req) && p.gzip != nil
	negotiate.AddVary(w.Header(), "Accept-Encoding")
	if p.etag != "" {
		etag := p.etag
		if gzipOK {
			etag = negotiate.GzipETag(etag)
		}
		w.Header().Set("ETag", etag)
		if negotiate.NotModified(req, etag) {
			negotiate.WriteNotModified(w)
			return nil
		}
	}
	buf := pageBuffers.Get().(*[]byte)
	var b []byte
	if gzipOK {
		b = p.gzip.appendTo((*buf)[:0], token)
		w.Header().Set("Content-Encoding", "gzip")
	} else {
		b = append(append(append((*buf)[:0], p.before...), token...), p.after...)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	*buf = b
	pageBuffers.Put(buf)
	return err
}

var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// campaignCache keeps campaigns looked up by slug for the same time as
// pages, so a burst of signatures does not read the campaign's row once
// per signature. A closed petition takes at most that long to refuse
// signatures on every instance, and an old slug that long to redirect;
// the instance that renames or edits a campaign forgets it at once. Only
// slugs that found a campaign are kept: a slug that finds none is asked of
// the database each time, so made-up slugs leave nothing here.
type campaignCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cachedCampaign
}

type cachedCampaign struct {
	campaign models.Campaign
	expires  time.Time
}

func newCampaignCache(ttl time.Duration) *campaignCache {
	return &campaignCache{ttl: ttl, entries: map[string]cachedCampaign{}}
}

// campaign returns the campaign with the slug from the cache or the Store.
func (cc *campaignCache) campaign(ctx context.Context, store *models.Store, slug string, now time.Time) (*models.Campaign, error) {
	if cc.ttl > 0 {
		cc.mu.Lock()
		e, ok := cc.entries[slug]
		cc.mu.Unlock()
		if ok && now.Before(e.expires) {
			c := e.campaign
			return &c, nil
		}
	}
	c, err := store.CampaignBySlug(ctx, slug)
	if errors.Is(err, models.ErrNotFound) {
		cc.forget(slug) // renamed away: its expired entry need not stay
	}
	if err != nil || cc.ttl == 0 {
		return c, err
	}
	cc.mu.Lock()
	if len(cc.entries) > 10_000 { // a guard: only slugs that were live are kept, and they are few
		clear(cc.entries)
	}
	cc.entries[slug] = cachedCampaign{campaign: *c, expires: now.Add(cc.ttl)}
	cc.mu.Unlock()
	return c, nil
}

// forget drops the campaigns cached under slugs, after a change to them
// on this instance.
func (cc *campaignCache) forget(slugs ...string) {
	cc.mu.Lock()
	for _, s := range slugs {
		delete(cc.entries, s)
	}
	cc.mu.Unlock()
}

// clear forgets every page kept.
func (pc *pageCache) clear() {
	pc.mu.Lock()
	clear(pc.entries)
	pc.variants = 0
	pc.mu.Unlock()
}

// forgetPages drops every public page this instance keeps, so the next
// visitor sees a change at once; other instances follow within the cache
// time. Changes are rare beside reads (an organiser's save), so all of
// them go, rather than working out which pages one change touches.
func (h *Handler) forgetPages() {
	for _, pc := range []*pageCache{h.pages, h.countPages, h.jsonPages, h.shareImages, h.homePages, h.deliveryPages, h.responsePages, h.signedPages, h.timelinePages, h.feedPages, h.packetPages} {
		pc.clear()
	}
}

// pagesFollowChanges is the middleware of every organiser route: after a
// request that may change something (any method but GET and HEAD), the
// public pages are rendered again (forgetPages).
func (h *Handler) pagesFollowChanges(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
			h.forgetPages()
		}
		return err
	}
}
