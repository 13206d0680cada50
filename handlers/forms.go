package handlers

import (
	"strconv"
	"strings"

	"campaigntrack/models"
	"campaigntrack/views"
)

// Form parsing: each parser reads the raw values of one form into the
// record it describes and into the view's copy of what was typed, and
// names every field it cannot read. The Store then validates the record.

// formValues is the part of a request a form parser reads.
type formValues interface{ FormValue(string) string }

func field(f formValues, name string) string { return strings.TrimSpace(f.FormValue(name)) }

// parseWhole reads a whole number, naming the field when it is not one.
func parseWhole(fe models.FieldErrors, name, label, s string) int64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "_", ""), 10, 64)
	if err != nil {
		fe.Add(name, label+" must be a whole number, for example 270000")
	}
	return n
}

// parseSources reads one source per line: "Name | https://address", or
// just a name, or just an address.
func parseSources(fe models.FieldErrors, name, text string) models.Sources {
	var out models.Sources
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var s models.Source
		if before, after, ok := strings.Cut(line, "|"); ok {
			s.Name, s.URL = strings.TrimSpace(before), strings.TrimSpace(after)
		} else if strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://") {
			s.URL = line
		} else {
			s.Name = line
		}
		if strings.Contains(s.URL, " ") {
			fe.Add(name, "line "+strconv.Itoa(i+1)+": an address cannot contain spaces")
		}
		out = append(out, s)
	}
	if len(out) > 50 {
		fe.Add(name, "at most 50 sources")
	}
	return out
}

// parseCampaignForm reads the new-campaign and settings form.
func parseCampaignForm(f formValues) (views.CampaignForm, func(*models.Campaign), models.FieldErrors) {
	form := views.CampaignForm{
		Slug: strings.ToLower(field(f, "slug")), Title: field(f, "title"), Target: field(f, "target"),
		Demand: field(f, "demand"), Summary: field(f, "summary"), Status: field(f, "status"),
		StartsOn: field(f, "starts_on"), EndsOn: field(f, "ends_on"),
		SignatureGoal: field(f, "signature_goal"), DeliveriesPlanned: field(f, "deliveries_planned"),
	}
	fe := models.FieldErrors{}
	goal := parseWhole(fe, "signature_goal", "The signature goal", form.SignatureGoal)
	planned := parseWhole(fe, "deliveries_planned", "The number of delivery cities", form.DeliveriesPlanned)
	apply := func(c *models.Campaign) {
		c.Slug, c.Title, c.Target, c.Demand, c.Summary = form.Slug, form.Title, form.Target, form.Demand, form.Summary
		c.Status, c.StartsOn, c.EndsOn = form.Status, form.StartsOn, form.EndsOn
		c.SignatureGoal = goal
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
		Status: c.Status, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
		SignatureGoal: strconv.FormatInt(c.SignatureGoal, 10), DeliveriesPlanned: strconv.Itoa(c.DeliveriesPlanned),
	}
}

// parsePetitionForm reads the petition text form.
func parsePetitionForm(f formValues) (views.PetitionForm, models.Petition, models.FieldErrors) {
	form := views.PetitionForm{Heading: field(f, "heading"), Body: field(f, "body"), Sources: field(f, "sources")}
	fe := models.FieldErrors{}
	p := models.Petition{Heading: form.Heading, Body: form.Body, Sources: parseSources(fe, "sources", form.Sources)}
	return form, p, fe
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
		Count: field(f, "count"), Qualifier: field(f, "qualifier"), Wording: field(f, "wording"),
		ClaimedBy: field(f, "claimed_by"), ClaimedOn: field(f, "claimed_on"),
		SourceName: field(f, "source_name"), SourceURL: field(f, "source_url"), Notes: field(f, "notes"),
		Headline: f.FormValue("headline") == "on",
	}
	fe := models.FieldErrors{}
	count := parseWhole(fe, "count", "The figure", form.Count)
	if form.Count == "" {
		fe.Add("count", "give the figure as a whole number above zero, for example 270000")
	}
	c := models.CountClaim{
		Count: count, Qualifier: form.Qualifier, Wording: form.Wording, ClaimedBy: form.ClaimedBy,
		ClaimedOn: form.ClaimedOn, SourceName: form.SourceName, SourceURL: form.SourceURL,
		Notes: form.Notes, Headline: form.Headline,
	}
	return form, c, fe
}

func claimToForm(c *models.CountClaim) views.ClaimForm {
	return views.ClaimForm{
		Count: strconv.FormatInt(c.Count, 10), Qualifier: c.Qualifier, Wording: c.Wording,
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
