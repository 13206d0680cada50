package csvio

import (
	"io"
	"strings"

	"campaigntrack/models"
)

// sourcesText names every source with its address when it has one,
// "The Seattle Times; KPIX <https://…>": many records are sourced to a
// publication whose address was not recorded, which source_urls alone
// would drop.
func sourcesText(ss models.Sources) string {
	parts := make([]string, 0, len(ss))
	for _, src := range ss {
		switch {
		case src.Name != "" && src.URL != "":
			parts = append(parts, src.Name+" <"+src.URL+">")
		case src.Name != "":
			parts = append(parts, src.Name)
		default:
			parts = append(parts, "<"+src.URL+">")
		}
	}
	return text(strings.Join(parts, "; "))
}

// ActionTable is the columns of the public actions CSV and XLSX, in
// order. Like the deliveries CSV it holds nothing private: no notes.
// attendance is text ("about 200"), not a count.
var ActionTable = Table{
	{"kind", Text}, {"title", Text}, {"description", Text}, {"occurred_at", When}, {"place", Text},
	{"city", Text}, {"region", Text}, {"country", Text}, {"attendance", Text}, {"organisations", Text},
	{"source_urls", Text}, {"sources", Text}, {"title_es", Text}, {"description_es", Text},
}

// ActionColumns are the names of ActionTable's columns.
var ActionColumns = ActionTable.Names()

// ActionRow is an action as a row of the actions CSV, before neutralising.
func ActionRow(a *models.Action) []string {
	return []string{
		text(a.Kind), text(a.Title), text(a.Description), models.FormatWhen(&a.OccurredAt, a.DateOnly, a.TimeZone),
		text(a.Place), text(a.City), text(a.Region), text(a.Country),
		text(a.Attendance), text(a.Organisations), sourceURLs(a.Sources), sourcesText(a.Sources),
		text(a.TitleES), text(a.DescriptionES),
	}
}

// WriteActions writes actions as the public actions CSV, as
// WriteDeliveries does: the header, then a row per action, every cell
// neutralised (there is no numeric column), flushed every 500 rows.
func WriteActions(w io.Writer, as []models.Action) error {
	return writeRecords(w, ActionTable, as, ActionRow)
}

// ResponseTable is the columns of the public responses CSV and XLSX, in
// order: answers says what a response answers (delivery, action or
// campaign) and answers_city the city of that delivery or action. No
// notes.
var ResponseTable = Table{
	{"responded_at", When}, {"speaker", Text}, {"speaker_role", Text}, {"channel", Text}, {"kind", Text},
	{"quote", Text}, {"summary", Text}, {"answers", Text}, {"answers_city", Text},
	{"source_urls", Text}, {"sources", Text}, {"summary_es", Text}, {"quote_es", Text},
}

// ResponseColumns are the names of ResponseTable's columns.
var ResponseColumns = ResponseTable.Names()

// ResponseRow is a response as a row of the responses CSV, before
// neutralising. The response's Delivery or Action should be loaded (as
// the Store's response queries do); when it is not, answers_city is empty.
func ResponseRow(r *models.Response) []string {
	answers, city := "campaign", ""
	switch {
	case r.DeliveryID != nil:
		answers = "delivery"
		if r.Delivery != nil {
			city = r.Delivery.City
		}
	case r.ActionID != nil:
		answers = "action"
		if r.Action != nil {
			city = r.Action.City
		}
	}
	return []string{
		models.FormatWhen(&r.RespondedAt, r.DateOnly, r.TimeZone), text(r.Speaker), text(r.SpeakerRole),
		text(r.Channel), text(r.Kind), text(r.Quote), text(r.Summary), answers, text(city), sourceURLs(r.Sources),
		sourcesText(r.Sources), text(r.SummaryES), text(r.QuoteES),
	}
}

// WriteResponses writes responses as the public responses CSV, as
// WriteActions does.
func WriteResponses(w io.Writer, rs []models.Response) error {
	return writeRecords(w, ResponseTable, rs, ResponseRow)
}
