package views

import (
	"strings"

	"campaigntrack/models"
)

// CountPageView is a campaign's "How the count is made" page: the
// tracker's own count of people with each source's kept figures and the
// pairs of sources that share people, beside the totals partners and the
// press reported. Aggregates only: nothing of any signer.
type CountPageView struct {
	Meta     PageMeta // description and share card
	Campaign models.Campaign
	Count    models.SourceCount  // the kept figures: people, per source (the form's first), per pair
	Claims   []models.CountClaim // the reported totals, each with its source
	Imported bool                // a source besides the form has received someone
	Rules    []models.EmailRule  // the per-domain identity rules in force, built-in and organisers'
}

// PeopleText is what the tracker's count counts, in words.
func PeopleText(n int64) string {
	if n == 1 {
		return "person has signed, counted once however many of the sources below had them."
	}
	return "people have signed, each counted once however many of the sources below had them."
}

// RuleWords says what a per-domain identity rule does: "gmail.com: dots
// before the @ are ignored".
func RuleWords(r models.EmailRule) string { return r.Domain + ": " + RuleEffect(r) }

// RuleEffect says in words what a rule does to an address (the count page
// and the admin's list of rules both say it this way).
func RuleEffect(r models.EmailRule) string {
	var parts []string
	if r.AliasOf != "" {
		parts = append(parts, "read as "+r.AliasOf)
	}
	if r.IgnoreDots {
		parts = append(parts, "dots before the @ are ignored")
	}
	if r.TagSeps != "" {
		seps := make([]string, 0, len(r.TagSeps))
		for _, c := range r.TagSeps {
			seps = append(seps, "“"+string(c)+"”")
		}
		parts = append(parts, "a tag may also begin with "+strings.Join(seps, " or "))
	}
	if len(parts) == 0 {
		return "only the rules for every address"
	}
	return strings.Join(parts, "; ")
}

// CarriedFigure and CountedAt are a delivery's frozen count: "Carried
// 270,123 signatures (counted 15 July 2019 at 10:02 UTC)".
func CarriedFigure(dc models.DeliveryCount) string {
	return "Carried " + Number(dc.Total) + " " + pluralWord(int(min(dc.Total, 2)), "signature", "signatures")
}

// CountedAt is when a delivery's count was frozen, in UTC.
func CountedAt(dc models.DeliveryCount) string {
	return dc.RecordedAt.UTC().Format("2 January 2006 at 15:04 MST")
}

// frozenSourceText is one source's figures in a delivery's count.
func frozenSourceText(f models.FrozenSource) string {
	s := Number(f.Received) + " received, " + Number(f.Unique) + " unique, " + Number(f.Shared) + " shared"
	if f.Claimed != nil {
		s += "; claimed " + Number(*f.Claimed)
	}
	return s
}

// frozenSourceName names a source in a delivery's count with its partner.
func frozenSourceName(f models.FrozenSource) string {
	return sourceLabel(models.SourceFigure{Name: f.Name, Partner: f.Partner})
}
