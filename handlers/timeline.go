package handlers

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/csvio"
	"campaigntrack/feed"
	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

// maxCityFilter is the longest city a filter takes, in characters: the
// longest a record's city can be.
const maxCityFilter = 200

// timelinePage is a campaign's record in one chronological stream, oldest
// first, narrowed by ?kind= and ?city=.
func (h *Handler) timelinePage(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	f, err := timelineFilter(c)
	if err != nil {
		return err
	}
	return h.servePage(c, h.timelinePages, cp, timelineVariant(f), "timeline page", func() (templ.Component, error) { return h.timelineView(c, cp, f) })
}

// timelineVariant names a filtered timeline (its page, its feed) in its
// page cache.
func timelineVariant(f models.TimelineFilter) string {
	if f == (models.TimelineFilter{}) {
		return ""
	}
	return f.Kind + "\x00" + f.City
}

// timelineView draws the timeline page.
func (h *Handler) timelineView(c echo.Context, cp *models.Campaign, f models.TimelineFilter) (templ.Component, error) {
	ctx := c.Request().Context()
	entries, err := h.store.Timeline(ctx, cp.ID, f)
	if err != nil {
		return nil, err
	}
	// The form offers the cities of the whole timeline, not only of the
	// entries shown, or a filtered page could not be widened to another
	// city. A campaign has tens of records, so a second read is cheap.
	all := entries
	if f != (models.TimelineFilter{}) {
		if all, err = h.store.Timeline(ctx, cp.ID, models.TimelineFilter{}); err != nil {
			return nil, err
		}
	}
	cities := views.TimelineCities(all)
	v := views.TimelineView{Campaign: *cp, Entries: entries, Kind: f.Kind, City: spelledAs(f.City, cities), Cities: cities}
	return views.TimelinePage(v), nil
}

// timelineAtom is the timeline as an Atom feed, with the same filters as
// the page.
//
// Entries are newest first: RFC 4287 gives the order no meaning, but feed
// readers and people reading the raw feed expect the latest at the top,
// and a reader that keeps only the first entries then keeps the news. The
// feed is not cut to a number of entries: a campaign has tens of records.
//
// Links are absolute, since a feed is read away from the site, and built on
// the configured base URL (Config.AbsoluteURL), never on the request's Host:
// the feed is then the same bytes for every client, which its strong ETag
// and public caching promise. Ids are tag URIs that no move of the site
// changes (see views.TimelineFeedID): the feed's carries the filter, each
// filtered feed being a feed of its own, while an entry's is the same in
// every feed it appears in.
func (h *Handler) timelineAtom(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	f, err := timelineFilter(c)
	if err != nil {
		return err
	}
	// Feed readers poll: the cache gives each feed a strong ETag of its
	// bytes, so a reader asking "has it changed?" gets a 304 with no body
	// when it has not (campaign_cache.go, cachedPage.write).
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return h.serveVariant(c, h.feedPages, cp, timelineVariant(f), "timeline feed", "application/atom+xml; charset=utf-8", "", func() ([]byte, error) { return h.renderTimelineAtom(c, cp, f) })
}

// renderTimelineAtom writes the feed, whole, into a buffer, so a failure is
// an error response rather than half a feed.
func (h *Handler) renderTimelineAtom(c echo.Context, cp *models.Campaign, f models.TimelineFilter) ([]byte, error) {
	ctx := c.Request().Context()
	entries, err := h.store.Timeline(ctx, cp.ID, f)
	if err != nil {
		return nil, err
	}
	coalition, err := h.store.OrganisationsFor(ctx, cp.ID)
	if err != nil {
		return nil, err
	}
	site, err := h.siteID.get(func() (string, error) { return h.store.SiteID(ctx) })
	if err != nil {
		return nil, err
	}
	f.City = spelledAs(f.City, views.TimelineCities(entries))
	slices.Reverse(entries)
	doc := feed.Atom{
		ID:       views.TimelineFeedID(ctx, site, cp.ID, f.Kind, f.City),
		Lang:     string(locale.Of(ctx)),
		Title:    views.TimelineFeedTitle(ctx, *cp),
		Subtitle: views.TimelineFeedSubtitle(ctx, f.Kind, f.City),
		SelfURL:  h.config.AbsoluteURL(locale.Path(ctx, views.TimelineFeedPath(cp.Slug, f.Kind, f.City))),
		AltURL:   h.config.AbsoluteURL(locale.Path(ctx, views.TimelinePath(cp.Slug, f.Kind, f.City))),
		Author:   feedAuthor(ctx, coalition),
		Entries:  views.TimelineAtomEntries(ctx, entries, site, cp.ID, h.config.AbsoluteURL(locale.Path(ctx, views.TimelinePath(cp.Slug, "", "")))),
	}
	// With entries, the feed was last updated when its latest entry was;
	// without (a filter that matches nothing), Atom still needs a time:
	// the campaign's own last change.
	if len(entries) == 0 {
		doc.Updated = cp.UpdatedAt
		if doc.Updated.IsZero() {
			doc.Updated = h.now()
		}
	}
	var buf bytes.Buffer
	if err := feed.WriteAtom(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// timelineFilter reads ?kind= and ?city=, naming a bad one. The kind is
// matched without regard to case or surrounding spaces; the city is
// matched by the Store without regard to case.
func timelineFilter(c echo.Context) (models.TimelineFilter, error) {
	f := models.TimelineFilter{
		Kind: strings.ToLower(strings.TrimSpace(c.QueryParam("kind"))),
		City: strings.TrimSpace(c.QueryParam("city")),
	}
	if f.Kind != "" && !slices.Contains(models.TimelineKinds, f.Kind) {
		return f, refuse(http.StatusBadRequest, locale.T(ctxOf(c), "error.filter_kind", "Kinds", strings.Join(models.TimelineKinds, ", ")))
	}
	if utf8.RuneCountInString(f.City) > maxCityFilter {
		return f, refuse(http.StatusBadRequest, locale.T(ctxOf(c), "error.filter_city_long", "Max", maxCityFilter))
	}
	return f, nil
}

// spelledAs is city as the records spell it, when one of cities is it
// without regard to case: ?city=seattle shows as Seattle, and the page's
// form and the feed's addresses say the same whichever way it was typed.
func spelledAs(city string, cities []string) string {
	if i := slices.IndexFunc(cities, func(c string) bool { return strings.EqualFold(c, city) }); i >= 0 {
		return cities[i]
	}
	return city
}

// feedAuthor is the campaign's coalition, every partner named (a feed
// that dropped some would misstate who speaks), or the tracker itself
// when no partner is listed.
func feedAuthor(ctx context.Context, coalition []models.Organisation) string {
	var names []string
	for _, o := range coalition {
		if n := strings.TrimSpace(o.Name); n != "" {
			names = append(names, n)
		}
	}
	switch len(names) {
	case 0:
		return feed.DefaultAuthor
	case 1:
		return names[0]
	}
	return locale.T(ctx, "timeline.feed_and", "Names", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}

// actionsCSV is the public CSV of a campaign's actions, oldest first, for
// journalists and partners. Like every public export it holds no notes.
func (h *Handler) actionsCSV(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	actions, err := h.store.ActionsFor(c.Request().Context(), cp.ID, models.ActionFilter{})
	if err != nil {
		return err
	}
	return h.publicCSV(c, cp, "actions", func(w io.Writer) error { return csvio.WriteActions(w, actions) })
}

// actionsXLSX is actionsCSV as a workbook.
func (h *Handler) actionsXLSX(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	actions, err := h.store.ActionsFor(c.Request().Context(), cp.ID, models.ActionFilter{})
	if err != nil {
		return err
	}
	return h.publicXLSX(c, cp, "actions", func() (*csvio.Workbook, error) { return csvio.ActionsWorkbook(actions) })
}

// publicCSV sends a public export as a download named
// "<slug>-<what>-<date>.csv", as deliveriesCSV does. The rows are loaded
// before the status is written, so a failed query is still an error page.
// The file starts with the BOM (csvio.NewWriter writes it).
func (h *Handler) publicCSV(c echo.Context, cp *models.Campaign, what string, write func(io.Writer) error) error {
	name := cp.Slug + "-" + what + "-" + h.now().UTC().Format("2006-01-02") + ".csv"
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	res.WriteHeader(http.StatusOK)
	return write(res)
}

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// publicXLSX sends a public export as an XLSX download named
// "<slug>-<what>-<date>.xlsx", beside its CSV. The workbook is built
// before the status is written, so a failure is still an error page.
func (h *Handler) publicXLSX(c echo.Context, cp *models.Campaign, what string, build func() (*csvio.Workbook, error)) error {
	wb, err := build()
	if err != nil {
		return err
	}
	defer wb.Close()
	name := cp.Slug + "-" + what + "-" + h.now().UTC().Format("2006-01-02") + ".xlsx"
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, xlsxType)
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	res.WriteHeader(http.StatusOK)
	_, err = wb.WriteTo(res)
	return err
}
