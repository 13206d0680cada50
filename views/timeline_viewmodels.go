package views

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// TimelineView is a campaign's public timeline: its record in one stream,
// oldest first, narrowed by the filter the visitor chose.
type TimelineView struct {
	Campaign models.Campaign
	Entries  []models.TimelineEntry // oldest first
	Kind     string                 // the kind shown (one of models.TimelineKinds), "" for every kind
	City     string                 // the city shown, "" for every city
	// Cities are the cities on the whole, unfiltered timeline, so a
	// filtered page still offers every other city.
	Cities []string
}

// ResponsesView is a campaign's public page of the company's answers.
type ResponsesView struct {
	Campaign  models.Campaign
	Responses []models.Response // oldest first, each with what it answers
	// Awaiting are the deliveries and actions still owed an answer,
	// oldest first.
	Awaiting []models.AwaitingAnswer
}

// TimelineLink is a link from the timeline to where a record is told more.
type TimelineLink struct {
	Label   string
	Href    string
	Current bool // the page shows this kind
}

// TimelineKindName is a kind of timeline entry in words: "Response".
func TimelineKindName(ctx context.Context, kind string) string {
	if slices.Contains(models.TimelineKinds, kind) {
		return locale.T(ctx, "timeline.kind."+kind)
	}
	return label(ctx, kind)
}

// timelineKindPlural is a kind in words, as many: "Responses".
func timelineKindPlural(ctx context.Context, kind string) string {
	if slices.Contains(models.TimelineKinds, kind) {
		return locale.T(ctx, "timeline.kinds."+kind)
	}
	return label(ctx, kind)
}

// TimelinePath is the address of a campaign's timeline page, with the
// filter in its query when one is set.
func TimelinePath(slug, kind, city string) string {
	return "/campaigns/" + slug + "/timeline" + timelineQuery(kind, city)
}

// TimelineFeedPath is the address of the timeline's Atom feed, with the
// same filter as the page it mirrors.
func TimelineFeedPath(slug, kind, city string) string {
	return "/campaigns/" + slug + "/timeline.atom" + timelineQuery(kind, city)
}

// Atom ids (RFC 4287 §4.2.6) must never change, or feed readers show every
// entry again as new, and must be unique to one site. They are tag URIs
// (RFC 4151), built only from what survives a move:
//
//	tag:campaigntrack,2019:<site>/campaign/<campaign id>/timeline?<filter>  a feed
//	tag:campaigntrack,2019:<site>/campaign/<campaign id>/<anchor>           an entry ("action-12")
//
// <site> is the site's random name, kept in its database
// (models.Store.SiteID), so two trackers never mint the same id; the
// campaign is named by its number, not its slug, which organisers may
// rename; the anchor is the entry's, which never changes. No host, scheme
// or path is in an id: moving the site, or to HTTPS, changes the feed's
// links and leaves every id as it was.
//
// The Spanish feed is a document of its own, its entries told in other
// words: its ids have "es/" after the campaign's number. The English ids
// are as they always were.
func timelineTag(ctx context.Context, site string, campaignID uint) string {
	tag := "tag:campaigntrack,2019:" + site + "/campaign/" + strconv.FormatUint(uint64(campaignID), 10) + "/"
	if l := locale.Of(ctx); l != locale.English {
		tag += string(l) + "/"
	}
	return tag
}

// TimelineFeedID is the id of a campaign's timeline feed with a filter:
// each filtered feed is a feed of its own.
func TimelineFeedID(ctx context.Context, site string, campaignID uint, kind, city string) string {
	return timelineTag(ctx, site, campaignID) + "timeline" + timelineQuery(kind, city)
}

// timelineQuery is "?city=…&kind=…" with only the parts that are set, in
// one canonical order, so the same filter always has the same address
// (a feed's id is built from it).
func timelineQuery(kind, city string) string {
	q := url.Values{}
	if kind != "" {
		q.Set("kind", kind)
	}
	if city != "" {
		q.Set("city", city)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// TimelineCities lists the cities of a timeline's entries once each, in
// alphabetical order. Cities that differ only in case are one city (the
// filter matches without regard to case); the first spelling met is kept.
func TimelineCities(entries []models.TimelineEntry) []string {
	var out []string
	for _, e := range entries {
		if e.City == "" || slices.ContainsFunc(out, func(c string) bool { return strings.EqualFold(c, e.City) }) {
			continue
		}
		out = append(out, e.City)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// TimelineDay is the entries of one day, as the timeline groups them.
type TimelineDay struct {
	Day     time.Time // the day, at midnight UTC
	ISO     string    // 2019-07-15, for <time datetime>
	Entries []models.TimelineEntry
}

// Days groups the entries (oldest first) by the day each happened on,
// where it happened (its own time zone; a date alone is that date).
func (v TimelineView) Days() []TimelineDay {
	var out []TimelineDay
	for _, e := range v.Entries {
		day := e.At.UTC()
		if !e.DateOnly {
			day = e.At.In(models.ZoneOrUTC(e.TimeZone))
		}
		iso := day.Format(time.DateOnly)
		if len(out) == 0 || out[len(out)-1].ISO != iso {
			out = append(out, TimelineDay{Day: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC), ISO: iso})
		}
		out[len(out)-1].Entries = append(out[len(out)-1].Entries, e)
	}
	return out
}

// KindOptions are the choices of the form's kind list.
func (v TimelineView) KindOptions(ctx context.Context) []Option {
	out := []Option{{Value: "", Label: locale.T(ctx, "timeline.all_kinds")}}
	for _, k := range models.TimelineKinds {
		out = append(out, Option{Value: k, Label: timelineKindPlural(ctx, k)})
	}
	return out
}

// CityOptions are the choices of the form's city list: every city on the
// timeline, and the city asked for even when it is not one of them, so
// the form shows what the page is narrowed to.
func (v TimelineView) CityOptions(ctx context.Context) []Option {
	out := []Option{{Value: "", Label: locale.T(ctx, "timeline.all_cities")}}
	known := false
	for _, c := range v.Cities {
		out = append(out, Option{Value: c, Label: c})
		known = known || c == v.City
	}
	if v.City != "" && !known {
		out = append(out, Option{Value: v.City, Label: v.City})
	}
	return out
}

// Shown says what the page lists: "Everything on record", "Responses",
// "Entries in Seattle", "Responses in Seattle".
func (v TimelineView) Shown(ctx context.Context) string {
	switch {
	case v.Kind == "" && v.City == "":
		return locale.T(ctx, "timeline.shown_all")
	case v.Kind == "":
		return locale.T(ctx, "timeline.shown_city", "City", v.City)
	case v.City == "":
		return timelineKindPlural(ctx, v.Kind)
	default:
		return locale.T(ctx, "timeline.shown_kind_city", "Kind", timelineKindPlural(ctx, v.Kind), "City", v.City)
	}
}

// Empty says plainly that the filter matched nothing: "Nothing on the
// timeline for Portland.", "No responses on the timeline."
func (v TimelineView) Empty(ctx context.Context) string {
	switch {
	case v.Kind == "" && v.City == "":
		return locale.T(ctx, "timeline.empty")
	case v.Kind == "":
		return locale.T(ctx, "timeline.empty_city", "City", v.City)
	case v.City == "":
		return locale.T(ctx, "timeline.empty."+v.Kind)
	default:
		return locale.T(ctx, "timeline.empty_city."+v.Kind, "City", v.City)
	}
}

// Filtered says whether the page shows less than the whole timeline.
func (v TimelineView) Filtered() bool { return v.Kind != "" || v.City != "" }

// FeedPath is the Atom feed of what the page shows.
func (v TimelineView) FeedPath() string { return TimelineFeedPath(v.Campaign.Slug, v.Kind, v.City) }

// timelineStatus is an entry's status in words, for its second badge:
// a delivery's status, an action's kind, a response's kind, or what
// kind of figure a milestone is.
func timelineStatus(ctx context.Context, e models.TimelineEntry) string {
	if isSilence(e) {
		return "" // the title says "no reply" and the entry says silence: once is enough
	}
	switch e.Status {
	case "claim":
		return locale.T(ctx, "timeline.status_claim")
	case "signatures":
		return locale.T(ctx, "timeline.status_signatures")
	}
	return label(ctx, e.Status)
}

// isSilence says whether a timeline entry records that the company said
// nothing.
func isSilence(e models.TimelineEntry) bool {
	return e.Kind == models.TimelineResponse && e.Status == models.ResponseNoReply
}

// timelineMore links an entry to the page that says more about it: a
// delivery's row on the deliveries page, a response on the responses
// page. Milestones and actions are told in full on the timeline.
func timelineMore(ctx context.Context, slug string, e models.TimelineEntry) TimelineLink {
	switch e.Kind {
	case models.TimelineDelivery:
		return TimelineLink{Label: locale.T(ctx, "timeline.on_deliveries"), Href: locale.Path(ctx, "/campaigns/"+slug+"/deliveries") + "#" + e.Anchor}
	case models.TimelineResponse:
		return TimelineLink{Label: locale.T(ctx, "timeline.on_responses"), Href: locale.Path(ctx, "/campaigns/"+slug+"/responses") + "#" + e.Anchor}
	}
	return TimelineLink{}
}

// responseAnchor is a response's id on the responses page, the same as
// its anchor on the timeline.
func responseAnchor(r models.Response) string {
	return "response-" + strconv.FormatUint(uint64(r.ID), 10)
}

// responseAnswers says what a response answers, with a link to it: the
// delivery's row on the deliveries page, the action's entry on the
// timeline, or no link for the campaign as a whole. A delivery or action
// that is not loaded (deleted, or not the campaign's own) is the campaign.
func responseAnswers(ctx context.Context, slug string, r models.Response) TimelineLink {
	switch {
	case r.Delivery != nil:
		return TimelineLink{Label: locale.T(ctx, "responses.the_delivery", "City", r.Delivery.City), Href: locale.Path(ctx, "/campaigns/"+slug+"/deliveries") + "#delivery-" + strconv.FormatUint(uint64(r.Delivery.ID), 10)}
	case r.Action != nil:
		return TimelineLink{Label: pick(ctx, r.Action.Title, r.Action.TitleES), Href: locale.Path(ctx, "/campaigns/"+slug+"/timeline") + "#action-" + strconv.FormatUint(uint64(r.Action.ID), 10)}
	}
	return TimelineLink{Label: locale.T(ctx, "responses.the_campaign")}
}

// responseHeading names who answered, or for silence who said nothing:
// "No reply from Amazon".
func responseHeading(ctx context.Context, r models.Response) string {
	if r.IsNoReply() {
		if r.Speaker != "" {
			return locale.T(ctx, "responses.no_reply_from", "Speaker", r.Speaker)
		}
		return label(ctx, models.ResponseNoReply)
	}
	return r.Speaker
}

// roleAfterName is a speaker's role as it follows their name in a
// heading: ", Chief Technology Officer, Amazon", or nothing.
func roleAfterName(role string) string {
	if role == "" {
		return ""
	}
	return ", " + role
}

// awaitingLink is where a record still owed an answer is told in full.
func awaitingLink(ctx context.Context, slug string, a models.AwaitingAnswer) string {
	id := strconv.FormatUint(uint64(a.ID), 10)
	if a.Kind == models.AnswersDelivery {
		return locale.Path(ctx, "/campaigns/"+slug+"/deliveries") + "#delivery-" + id
	}
	return locale.Path(ctx, "/campaigns/"+slug+"/timeline") + "#action-" + id
}

// AwaitingText is how long a record has gone unanswered, in English, for
// the organiser area: "No answer for 12 days".
func AwaitingText(days int) string { return AwaitingFrom(context.Background(), "", days) }

// AwaitingFrom is how long a record has gone unanswered, naming who has
// not answered ("No answer from Amazon for 3 days"), in the page's
// language; the one place the wording, and its "yet" for a wait of under
// a day (a record of today has waited no whole day), is decided.
func AwaitingFrom(ctx context.Context, target string, days int) string {
	switch {
	case target == "" && days <= 0:
		return locale.T(ctx, "awaiting.yet")
	case days <= 0:
		return locale.T(ctx, "awaiting.yet_from", "Target", target)
	case target == "":
		return locale.N(ctx, "awaiting.days", int64(days), "Days", num(ctx, int64(days)))
	default:
		return locale.N(ctx, "awaiting.days_from", int64(days), "Target", target, "Days", num(ctx, int64(days)))
	}
}
