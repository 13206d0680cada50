package handlers

import (
	"strconv"
	"strings"
	"time"

	"campaigntrack/models"
	"campaigntrack/views"
)

// Form parsing: each parser reads the raw values of one form into the
// record it describes and into the view's copy of what was typed, and
// names every field it cannot read. The Store then validates the record.

// formValues is the part of a request a form parser reads.
type formValues interface{ FormValue(string) string }

func field(f formValues, name string) string { return strings.TrimSpace(f.FormValue(name)) }

// whenField reads a time's date and time pickers (views.WhenInput): the
// date named name, the time name+"_time".
func whenField(f formValues, name string) views.WhenForm {
	return views.WhenForm{Date: field(f, name), Clock: field(f, name+"_time")}
}

// parseWhen reads a time's pickers (models.ParseDateTime) in loc and
// names the field it came from when it cannot.
func parseWhen(fe models.FieldErrors, name string, w views.WhenForm, loc *time.Location) models.GivenTime {
	at, err := models.ParseDateTime(w.Date, w.Clock, loc)
	fe.AddError(name, err)
	return at
}

// The value parsers are the models' (models/parse.go), the ones the CSV
// readers call, so a form and a file refuse a value with the same message;
// these name the field it was typed in.

// parseWhole reads an optional whole number; blank is 0.
func parseWhole(fe models.FieldErrors, name, s string) int64 {
	n := parseOptionalWhole(fe, name, s)
	if n == nil {
		return 0
	}
	return *n
}

// parseOptionalWhole reads an optional whole number; blank is nil.
func parseOptionalWhole(fe models.FieldErrors, name, s string) *int64 {
	n, err := models.ParseOptionalWhole(s)
	fe.AddError(name, err)
	return n
}

// parseSources reads a sources box (models.ParseSources).
func parseSources(fe models.FieldErrors, name, text string) models.Sources {
	out, err := models.ParseSources(text)
	fe.AddError(name, err)
	return out
}

// parseCampaignForm reads the new-campaign and settings form.
func parseCampaignForm(f formValues) (views.CampaignForm, func(*models.Campaign), models.FieldErrors) {
	form := views.CampaignForm{
		Slug: strings.ToLower(field(f, "slug")), Title: field(f, "title"), Target: field(f, "target"),
		Demand: field(f, "demand"), Summary: field(f, "summary"), Status: field(f, "status"),
		TitleES: field(f, "title_es"), DemandES: field(f, "demand_es"), SummaryES: field(f, "summary_es"),
		StartsOn: field(f, "starts_on"), EndsOn: field(f, "ends_on"),
		SignatureGoal: field(f, "signature_goal"), DeliveriesPlanned: field(f, "deliveries_planned"),
		ConfirmSignatures: f.FormValue("confirm_signatures") == "on",
		PacketNames:       field(f, "packet_names"),
	}
	if form.PacketNames == "" {
		form.PacketNames = models.PacketInitials
	}
	fe := models.FieldErrors{}
	goal := parseWhole(fe, "signature_goal", form.SignatureGoal)
	planned := parseWhole(fe, "deliveries_planned", form.DeliveriesPlanned)
	apply := func(c *models.Campaign) {
		c.Slug, c.Title, c.Target, c.Demand, c.Summary = form.Slug, form.Title, form.Target, form.Demand, form.Summary
		c.TitleES, c.DemandES, c.SummaryES = form.TitleES, form.DemandES, form.SummaryES
		c.Status, c.StartsOn, c.EndsOn = form.Status, form.StartsOn, form.EndsOn
		c.SignatureGoal, c.ConfirmSignatures, c.PacketNames = goal, form.ConfirmSignatures, form.PacketNames
		if planned >= -1000 && planned <= 100000 {
			c.DeliveriesPlanned = int(planned)
		} else {
			c.DeliveriesPlanned = -1 // out of range: Validate names it
		}
	}
	return form, apply, fe
}

func campaignToForm(c *models.Campaign) views.CampaignForm {
	return views.CampaignForm{
		Slug: c.Slug, Title: c.Title, Target: c.Target, Demand: c.Demand, Summary: c.Summary,
		TitleES: c.TitleES, DemandES: c.DemandES, SummaryES: c.SummaryES,
		Status: c.Status, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		SignatureGoal: strconv.FormatInt(c.SignatureGoal, 10), DeliveriesPlanned: strconv.Itoa(c.DeliveriesPlanned),
		ConfirmSignatures: c.ConfirmSignatures, PacketNames: c.PacketNames,
	}
}

// parsePetitionForm reads the petition text form.
func parsePetitionForm(f formValues) (views.PetitionForm, models.Petition, models.FieldErrors) {
	form := views.PetitionForm{
		Heading: field(f, "heading"), Body: field(f, "body"), HeadingES: field(f, "heading_es"), BodyES: field(f, "body_es"),
		Sources: field(f, "sources"),
	}
	fe := models.FieldErrors{}
	p := models.Petition{
		Heading: form.Heading, Body: form.Body, HeadingES: form.HeadingES, BodyES: form.BodyES,
		Sources: parseSources(fe, "sources", form.Sources),
	}
	return form, p, fe
}

func petitionToForm(p *models.Petition) views.PetitionForm {
	return views.PetitionForm{Heading: p.Heading, Body: p.Body, HeadingES: p.HeadingES, BodyES: p.BodyES, Sources: views.SourcesText(p.Sources)}
}

// parseOrganisationForm reads the partner form.
func parseOrganisationForm(f formValues) (views.OrganisationForm, models.Organisation, models.FieldErrors) {
	form := views.OrganisationForm{Name: field(f, "name"), Role: field(f, "role"), URL: field(f, "url"), Sources: field(f, "sources")}
	fe := models.FieldErrors{}
	o := models.Organisation{Name: form.Name, Role: form.Role, URL: form.URL, Sources: parseSources(fe, "sources", form.Sources)}
	return form, o, fe
}

func organisationToForm(o *models.Organisation) views.OrganisationForm {
	return views.OrganisationForm{Name: o.Name, Role: o.Role, URL: o.URL, Sources: views.SourcesText(o.Sources)}
}

// parseClaimForm reads the signature-claim form.
func parseClaimForm(f formValues) (views.ClaimForm, models.CountClaim, models.FieldErrors) {
	form := views.ClaimForm{
		Count: field(f, "count"), Qualifier: field(f, "qualifier"), Wording: field(f, "wording"), WordingES: field(f, "wording_es"),
		ClaimedBy: field(f, "claimed_by"), ClaimedOn: field(f, "claimed_on"),
		SourceName: field(f, "source_name"), SourceURL: field(f, "source_url"), Notes: field(f, "notes"),
		Headline: f.FormValue("headline") == "on",
	}
	fe := models.FieldErrors{}
	count, err := models.ParseWhole(form.Count)
	fe.AddError("count", err)
	c := models.CountClaim{
		Count: count, Qualifier: form.Qualifier, Wording: form.Wording, WordingES: form.WordingES, ClaimedBy: form.ClaimedBy,
		ClaimedOn: form.ClaimedOn, SourceName: form.SourceName, SourceURL: form.SourceURL,
		Notes: form.Notes, Headline: form.Headline,
	}
	return form, c, fe
}

func claimToForm(c *models.CountClaim) views.ClaimForm {
	return views.ClaimForm{
		Count: strconv.FormatInt(c.Count, 10), Qualifier: c.Qualifier, Wording: c.Wording, WordingES: c.WordingES,
		ClaimedBy: c.ClaimedBy, ClaimedOn: c.ClaimedOn, SourceName: c.SourceName, SourceURL: c.SourceURL,
		Notes: c.Notes, Headline: c.Headline,
	}
}

// merge adds the Store's field errors to the parser's, keeping the
// parser's message where both name a field.
func merge(fe models.FieldErrors, err error) models.FieldErrors {
	if other, ok := err.(models.FieldErrors); ok {
		for k, v := range other {
			fe.Add(k, v)
		}
	}
	return fe
}

// placeZone is the zone a form's times without an offset are read in
// (models.ReadingZone). An unknown zone is named, and no zone is kept.
func placeZone(fe models.FieldErrors, zone, country, region string) (string, *time.Location) {
	loc, err := models.ReadingZone(zone, country, region)
	if err != nil {
		fe.Add("time_zone", err.Error())
		return "", loc
	}
	return zone, loc
}

// parseDeliveryForm reads the delivery form.
func parseDeliveryForm(f formValues) (views.DeliveryForm, models.Delivery, models.FieldErrors) {
	form := views.DeliveryForm{
		City: field(f, "city"), Region: field(f, "region"), Country: strings.ToUpper(field(f, "country")),
		Venue: field(f, "venue"), Address: field(f, "address"), Latitude: field(f, "latitude"), Longitude: field(f, "longitude"),
		Kind: field(f, "kind"), Status: field(f, "status"), ScheduledAt: whenField(f, "scheduled_at"), DeliveredAt: whenField(f, "delivered_at"),
		TimeZone: field(f, "time_zone"), Recipient: field(f, "recipient"), SignaturesDelivered: field(f, "signatures_delivered"),
		DeliveryForm: field(f, "delivery_form"), Outcome: field(f, "outcome"), OutcomeES: field(f, "outcome_es"),
		PacketLang: field(f, "packet_lang"), LeadOrganisation: field(f, "lead_organisation"),
		Attendance: field(f, "attendance"), Sources: field(f, "sources"), Notes: field(f, "notes"),
		MediaPresent: f.FormValue("media_present") == "on",
	}
	fe := models.FieldErrors{}
	zone, loc := placeZone(fe, form.TimeZone, form.Country, form.Region)
	d := models.Delivery{
		City: form.City, Region: form.Region, Country: form.Country, Venue: form.Venue, Address: form.Address,
		Kind: form.Kind, Status: form.Status, Recipient: form.Recipient,
		SignaturesDelivered: parseOptionalWhole(fe, "signatures_delivered", form.SignaturesDelivered),
		DeliveryForm:        form.DeliveryForm, Outcome: form.Outcome, OutcomeES: form.OutcomeES, PacketLang: form.PacketLang,
		LeadOrganisation: form.LeadOrganisation, Attendance: form.Attendance, MediaPresent: form.MediaPresent, Notes: form.Notes,
		Sources: parseSources(fe, "sources", form.Sources),
	}
	var err error
	d.Latitude, err = models.ParseLatitude(form.Latitude)
	fe.AddError("latitude", err)
	d.Longitude, err = models.ParseLongitude(form.Longitude)
	fe.AddError("longitude", err)
	scheduled := parseWhen(fe, "scheduled_at", form.ScheduledAt, loc)
	delivered := parseWhen(fe, "delivered_at", form.DeliveredAt, loc)
	d.ScheduledAt, d.ScheduledDateOnly = scheduled.At, scheduled.DateOnly
	d.DeliveredAt, d.DateOnly = delivered.At, delivered.DateOnly
	d.TimeZone = models.RecordZone(zone, d.Country, d.Region, scheduled, delivered)
	d.Normalise()
	return form, d, fe
}

func deliveryToForm(d *models.Delivery) views.DeliveryForm {
	form := views.DeliveryForm{
		City: d.City, Region: d.Region, Country: d.Country, Venue: d.Venue, Address: d.Address,
		Kind: d.Kind, Status: d.Status, TimeZone: d.TimeZone, Recipient: d.Recipient,
		ScheduledAt:  views.FormWhen(d.ScheduledAt, d.ScheduledDateOnly, d.TimeZone),
		DeliveredAt:  views.FormWhen(d.DeliveredAt, d.DateOnly, d.TimeZone),
		DeliveryForm: d.DeliveryForm, Outcome: d.Outcome, OutcomeES: d.OutcomeES, PacketLang: d.PacketLang,
		LeadOrganisation: d.LeadOrganisation, Attendance: d.Attendance, MediaPresent: d.MediaPresent,
		Sources: views.SourcesText(d.Sources), Notes: d.Notes,
	}
	if d.Latitude != nil {
		form.Latitude = strconv.FormatFloat(*d.Latitude, 'f', -1, 64)
	}
	if d.Longitude != nil {
		form.Longitude = strconv.FormatFloat(*d.Longitude, 'f', -1, 64)
	}
	if d.SignaturesDelivered != nil {
		form.SignaturesDelivered = strconv.FormatInt(*d.SignaturesDelivered, 10)
	}
	return form
}

// parseMarkDeliveredForm reads the one-step "mark delivered" form; apply
// writes it onto the delivery. The outcome is required: "delivered" alone
// tells the public nothing.
func parseMarkDeliveredForm(f formValues, d *models.Delivery) (views.MarkDeliveredForm, func(*models.Delivery), models.FieldErrors) {
	form := views.MarkDeliveredForm{
		DeliveredAt: whenField(f, "delivered_at"), Outcome: field(f, "outcome"), Recipient: field(f, "recipient"),
		SignaturesDelivered: field(f, "signatures_delivered"), DeliveryForm: field(f, "delivery_form"),
		Attendance: field(f, "attendance"), MediaPresent: f.FormValue("media_present") == "on",
	}
	fe := models.FieldErrors{}
	zone, loc := placeZone(fe, d.TimeZone, d.Country, d.Region)
	at := parseWhen(fe, "delivered_at", form.DeliveredAt, loc)
	zone = models.RecordZone(zone, d.Country, d.Region, at)
	if form.DeliveredAt.Date == "" && form.DeliveredAt.Clock == "" {
		fe.Add("delivered_at", "give the date and time it was delivered")
	}
	if form.Outcome == "" {
		fe.Add("outcome", "say in a few words how it went, e.g. left the printouts at the main reception desk")
	}
	signatures := parseOptionalWhole(fe, "signatures_delivered", form.SignaturesDelivered)
	apply := func(rec *models.Delivery) {
		rec.DeliveredAt, rec.DateOnly, rec.TimeZone = at.At, at.DateOnly, zone
		rec.Outcome, rec.MediaPresent = form.Outcome, rec.MediaPresent || form.MediaPresent
		if form.Recipient != "" {
			rec.Recipient = form.Recipient
		}
		if signatures != nil {
			rec.SignaturesDelivered = signatures
		}
		if form.DeliveryForm != "" {
			rec.DeliveryForm = form.DeliveryForm
		}
		if form.Attendance != "" {
			rec.Attendance = form.Attendance
		}
	}
	return form, apply, fe
}

// parseActionForm reads the action form: the quick log (kind, title, when,
// where, how many) or the full one.
func parseActionForm(f formValues) (views.ActionForm, models.Action, models.FieldErrors) {
	form := views.ActionForm{
		Kind: field(f, "kind"), Title: field(f, "title"), Description: field(f, "description"),
		TitleES: field(f, "title_es"), DescriptionES: field(f, "description_es"),
		OccurredAt: whenField(f, "occurred_at"), Place: field(f, "place"), City: field(f, "city"), Region: field(f, "region"),
		Country: strings.ToUpper(field(f, "country")), Attendance: field(f, "attendance"), Organisations: field(f, "organisations"),
		TimeZone: field(f, "time_zone"), Sources: field(f, "sources"), Notes: field(f, "notes"),
	}
	fe := models.FieldErrors{}
	country := actionCountry(form.Country)
	zone, loc := placeZone(fe, form.TimeZone, country, form.Region)
	a := models.Action{
		Kind: form.Kind, Title: form.Title, Description: form.Description, TitleES: form.TitleES, DescriptionES: form.DescriptionES,
		Place: form.Place, City: form.City,
		Region: form.Region, Country: country, Attendance: form.Attendance, Organisations: form.Organisations,
		Notes: form.Notes, Sources: parseSources(fe, "sources", form.Sources),
	}
	at := parseWhen(fe, "occurred_at", form.OccurredAt, loc)
	if at.At != nil {
		a.OccurredAt, a.DateOnly = *at.At, at.DateOnly
	}
	a.TimeZone = models.RecordZone(zone, country, form.Region, at)
	if a.DateOnly {
		a.TimeZone = form.TimeZone
	}
	return form, a, fe
}

// actionCountry is an action's country: the one given, else the United
// States, as the action form offers.
func actionCountry(country string) string {
	if country == "" {
		return "US"
	}
	return country
}

func actionToForm(a *models.Action) views.ActionForm {
	return views.ActionForm{
		Kind: a.Kind, Title: a.Title, Description: a.Description, TitleES: a.TitleES, DescriptionES: a.DescriptionES,
		OccurredAt: views.FormWhen(&a.OccurredAt, a.DateOnly, a.TimeZone), Place: a.Place, City: a.City,
		Region: a.Region, Country: a.Country, Attendance: a.Attendance,
		Organisations: a.Organisations, TimeZone: a.TimeZone, Sources: views.SourcesText(a.Sources), Notes: a.Notes,
	}
}

// parseResponseForm reads the response form. What it answers is one
// select: the campaign, a delivery or an action; the Store checks the
// record is the campaign's own.
func parseResponseForm(f formValues) (views.ResponseForm, models.Response, models.FieldErrors) {
	form := views.ResponseForm{
		RespondedAt: whenField(f, "responded_at"), Speaker: field(f, "speaker"), SpeakerRole: field(f, "speaker_role"),
		Channel: field(f, "channel"), Kind: field(f, "kind"), Quote: field(f, "quote"), Summary: field(f, "summary"),
		QuoteES: field(f, "quote_es"), SummaryES: field(f, "summary_es"),
		Answers: field(f, "answers"), TimeZone: field(f, "time_zone"), Sources: field(f, "sources"), Notes: field(f, "notes"),
	}
	fe := models.FieldErrors{}
	zone, loc := placeZone(fe, form.TimeZone, "", "")
	r := models.Response{
		Speaker: form.Speaker, SpeakerRole: form.SpeakerRole, Channel: form.Channel, Kind: form.Kind,
		Quote: form.Quote, Summary: form.Summary, QuoteES: form.QuoteES, SummaryES: form.SummaryES, Notes: form.Notes,
		Sources: parseSources(fe, "sources", form.Sources),
	}
	at := parseWhen(fe, "responded_at", form.RespondedAt, loc)
	if at.At != nil {
		r.RespondedAt, r.DateOnly = *at.At, at.DateOnly
	}
	r.TimeZone = models.RecordZone(zone, "", "", at)
	switch kind, id, _ := strings.Cut(form.Answers, ":"); kind {
	case "", "campaign":
	case models.AnswersDelivery, models.AnswersAction:
		n, err := strconv.ParseUint(id, 10, 32)
		if err != nil || n == 0 {
			fe.Add("answers", "choose what the response answers from the list")
			break
		}
		u := uint(n)
		if kind == models.AnswersDelivery {
			r.DeliveryID = &u
		} else {
			r.ActionID = &u
		}
	default:
		fe.Add("answers", "choose what the response answers from the list")
	}
	return form, r, fe
}

func responseToForm(r *models.Response) views.ResponseForm {
	form := views.ResponseForm{
		RespondedAt: views.FormWhen(&r.RespondedAt, r.DateOnly, r.TimeZone), Speaker: r.Speaker, SpeakerRole: r.SpeakerRole,
		Channel: r.Channel, Kind: r.Kind, Quote: r.Quote, Summary: r.Summary, QuoteES: r.QuoteES, SummaryES: r.SummaryES,
		Answers: "campaign", TimeZone: r.TimeZone, Sources: views.SourcesText(r.Sources), Notes: r.Notes,
	}
	if r.DeliveryID != nil {
		form.Answers = models.AnswerKey(models.AnswersDelivery, *r.DeliveryID)
	} else if r.ActionID != nil {
		form.Answers = models.AnswerKey(models.AnswersAction, *r.ActionID)
	}
	return form
}

// parseNewsForm reads the "Tell the signers" form. The record it tells of
// is hidden in the form; the handler checks it is the campaign's.
func parseNewsForm(f formValues) (views.NewsForm, models.News, models.FieldErrors) {
	form := views.NewsForm{
		Subject: field(f, "subject"), Body: field(f, "body"), Quote: field(f, "quote"),
		QuoteBy: field(f, "quote_by"), QuoteSource: field(f, "quote_source"),
		SubjectES: field(f, "subject_es"), BodyES: field(f, "body_es"), QuoteES: field(f, "quote_es"),
		RecordKind: field(f, "record_kind"), RecordID: field(f, "record_id"),
	}
	fe := models.FieldErrors{}
	n := models.News{Subject: form.Subject, Body: form.Body, Quote: form.Quote, QuoteBy: form.QuoteBy, QuoteSource: form.QuoteSource,
		SubjectES: form.SubjectES, BodyES: form.BodyES, QuoteES: form.QuoteES}
	switch form.RecordKind {
	case "":
	case newsDelivery, newsResponse:
		id, err := strconv.ParseUint(form.RecordID, 10, 32)
		if err != nil || id == 0 {
			fe.Add("record", newsNoRecord)
			break
		}
		n.RecordKind, n.RecordID = form.RecordKind, uint(id)
	default:
		fe.Add("record", newsNoRecord)
	}
	return form, n, fe
}

func newsToForm(n models.News) views.NewsForm {
	form := views.NewsForm{Subject: n.Subject, Body: n.Body, Quote: n.Quote, QuoteBy: n.QuoteBy, QuoteSource: n.QuoteSource,
		SubjectES: n.SubjectES, BodyES: n.BodyES, QuoteES: n.QuoteES, RecordKind: n.RecordKind}
	if n.RecordID != 0 {
		form.RecordID = strconv.FormatUint(uint64(n.RecordID), 10)
	}
	return form
}
