package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// Number formats n with thousands separators: 270000 -> "270,000".
func Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// ClaimFigure is a claim as its source put it: "more than 270,000".
// In English: the organiser area and the packet's English pages.
func ClaimFigure(c models.CountClaim) string { return claimFigure(context.Background(), c) }

// Day formats a YYYY-MM-DD date as "15 July 2019"; anything else is
// returned as it is.
func Day(s string) string { return day(context.Background(), s) }

// When formats a time: the day alone when only the day is known, else the
// day and time in UTC.
func When(t *time.Time, dateOnly bool) string {
	if t == nil {
		return ""
	}
	if dateOnly {
		return t.UTC().Format("2 January 2006")
	}
	return t.UTC().Format("2 January 2006, 15:04 MST")
}

// ISO formats a time for a <time datetime> attribute.
func ISO(t *time.Time, dateOnly bool) string {
	if t == nil {
		return ""
	}
	if dateOnly {
		return t.UTC().Format(time.DateOnly)
	}
	return t.UTC().Format(time.RFC3339)
}

// Label turns a stored code ("under_way", "executive_home") into words.
func Label(code string) string {
	if code == "" {
		return ""
	}
	s := strings.ReplaceAll(code, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// Place joins a city, region and country, skipping the empty ones.
func Place(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

func nameOr(name, url string) string {
	if name != "" {
		return name
	}
	return url
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func itoa(n int) string { return strconv.Itoa(n) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// htmxConfig lets htmx swap in a 422 form with its field errors, and the
// form with a message when a signature was not taken (429 too many, 503
// not saved) (htmx leaves 4xx and 5xx answers unswapped by default) and keeps it from injecting
// inline styles, which the Content-Security-Policy refuses.
const htmxConfig = `{"includeIndicatorStyles":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"429","swap":true},{"code":"503","swap":true},{"code":"[45]..","swap":false,"error":true}]}`

// WhenIn formats a record's time where it happened: the day alone when
// only the day is known, else the day and time in the record's zone
// ("15 July 2019, 11:00 PDT").
func WhenIn(t *time.Time, dateOnly bool, zone string) string {
	return whenIn(context.Background(), t, dateOnly, zone)
}

// ISOIn formats a record's time for a <time datetime> attribute, with the
// offset of the place it happened.
func ISOIn(t *time.Time, dateOnly bool, zone string) string {
	return models.FormatWhen(t, dateOnly, zone)
}

// ProgressWords is the one delivery progress sentence every page and the
// share card say, in ctx's language: "5 of 9 cities delivered".
func ProgressWords(ctx context.Context, p models.DeliveryProgress) string {
	if p.Cities == 0 {
		return locale.T(ctx, "progress.none")
	}
	return locale.N(ctx, "progress.delivered", int64(p.Cities), "Delivered", num(ctx, int64(p.Delivered)))
}

// PeopleHeadline is the count as a share card says it: "270,000 people
// have signed".
func PeopleHeadline(ctx context.Context, n int64) string {
	return locale.N(ctx, "share.people", n)
}

// ogLocale is the Open Graph locale of a language (og:locale).
func ogLocale(l locale.Lang) string {
	if l == locale.Spanish {
		return "es_US"
	}
	return "en_US"
}

// langIf marks an element whose text is in another language than the
// page's (an English text with no Spanish version, on a Spanish page).
func langIf(ctx context.Context, in locale.Lang) templ.Attributes {
	if in == locale.Of(ctx) {
		return templ.Attributes{}
	}
	return templ.Attributes{"lang": string(in)}
}
