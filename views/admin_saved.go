package views

import (
	"context"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// RecordAnchor is the id of a record in its admin list, "action-12": the
// fragment a save sends the organiser to.
func RecordAnchor(prefix string, id uint) string {
	return prefix + "-" + strconv.FormatUint(uint64(id), 10)
}

// recordAttrs are a list item's attributes: its anchor, and when it is
// the record just saved, the class that marks it and the focus (tabindex
// -1 and autofocus, so the page opens on it, for a screen reader too,
// without JavaScript).
func recordAttrs(f AdminFrame, anchor string) templ.Attributes {
	a := templ.Attributes{"id": anchor}
	if f.Saved == anchor {
		a["class"] = "saved"
		a["tabindex"] = "-1"
		a["autofocus"] = true
		a["data-saved"] = "true"
	}
	return a
}

// justSaved says whether the record with this anchor is the one just saved.
func justSaved(f AdminFrame, anchor string) bool { return f.Saved != "" && f.Saved == anchor }

// PlaceTimeHint is the hint of a new record's time: the zone it is read
// in, when the place's is known.
func PlaceTimeHint(ctx context.Context, zone string) string {
	if zone == "" {
		return locale.T(ctx, "admin.hint.time")
	}
	return locale.T(ctx, "admin.hint.time_in", "Zone", zone)
}

// QuickLogPath is the quick log of an action at a place: the actions page
// with its form filled in with the place, so its time is now there.
func QuickLogPath(cp *models.Campaign, city, region, country string) string {
	q := url.Values{}
	for k, v := range map[string]string{"city": city, "region": region, "country": country} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return campaignAdminPath(cp) + "/actions?" + q.Encode() + "#add"
}
