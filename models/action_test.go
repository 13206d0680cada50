package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// recordsDemo loads the demo campaign and returns it with a second,
// empty campaign, so tests can try to reach across campaigns.
func recordsDemo(t *testing.T, store *models.Store) (demo, other *models.Campaign) {
	t.Helper()
	ctx := context.Background()
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	demo, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	other = &models.Campaign{Slug: "other", Title: "Other", Target: "Palantir", Demand: "Stop"}
	if err := store.CreateCampaign(ctx, models.CommandLine, other); err != nil {
		t.Fatal(err)
	}
	return demo, other
}

// wantFieldError fails unless err is a FieldErrors naming field.
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	var fe models.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want FieldErrors on %q", err, field)
	}
	if fe[field] == "" {
		t.Fatalf("FieldErrors = %v, want one on %q", fe, field)
	}
}

func validAction() models.Action {
	return models.Action{
		Kind: "rally", Title: "Rally at the Spheres", OccurredAt: time.Date(2019, 7, 15, 18, 0, 0, 0, time.UTC),
		City: "Seattle", Region: "WA", Country: "US", TimeZone: "America/Los_Angeles",
		Sources: models.Sources{{Name: "The Seattle Times"}},
	}
}

func TestActionValidate(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	a := validAction()
	if fe := a.Validate(); len(fe) != 0 {
		t.Fatalf("valid action: %v", fe)
	}
	for _, tc := range []struct {
		field  string
		change func(*models.Action)
	}{
		{"kind", func(a *models.Action) { a.Kind = "picnic" }},
		{"kind", func(a *models.Action) { a.Kind = "" }},
		{"title", func(a *models.Action) { a.Title = "  " }},
		{"title", func(a *models.Action) { a.Title = long(301) }},
		{"description", func(a *models.Action) { a.Description = long(5001) }},
		{"occurred_at", func(a *models.Action) { a.OccurredAt = time.Time{} }},
		{"place", func(a *models.Action) { a.Place = long(201) }},
		{"city", func(a *models.Action) { a.City = long(201) }},
		{"region", func(a *models.Action) { a.Region = long(201) }},
		{"country", func(a *models.Action) { a.Country = "USA" }},
		{"country", func(a *models.Action) { a.Country = "us" }},
		{"attendance", func(a *models.Action) { a.Attendance = long(101) }},
		{"organisations", func(a *models.Action) { a.Organisations = long(1001) }},
		{"time_zone", func(a *models.Action) { a.TimeZone = "Mars/Olympus" }},
		{"sources", func(a *models.Action) { a.Sources = models.Sources{{}} }},
		{"sources", func(a *models.Action) { a.Sources = models.Sources{{Name: "x", URL: "javascript:alert(1)"}} }},
		{"notes", func(a *models.Action) { a.Notes = long(10001) }},
	} {
		a := validAction()
		tc.change(&a)
		fe := a.Validate()
		if fe[tc.field] == "" || len(fe) != 1 {
			t.Errorf("%s: errors = %v, want exactly one on %s", tc.field, fe, tc.field)
		}
	}
	// At the limits, nothing is wrong (lengths count characters, not bytes).
	a = validAction()
	a.Title, a.Description, a.Attendance = strings.Repeat("é", 300), long(5000), long(100)
	if fe := a.Validate(); len(fe) != 0 {
		t.Errorf("action at the limits: %v", fe)
	}
	a = validAction()
	a.Kind = "walk_out"
	if fe := a.Validate(); len(fe) != 0 {
		t.Errorf("every kind of ActionKinds is accepted: %v", fe)
	}
	if msg := (&models.Action{}).Validate()["kind"]; !strings.Contains(msg, strings.Join(models.ActionKinds, ", ")) {
		t.Errorf("kind message %q does not list the kinds", msg)
	}
}

func TestActionNormalise(t *testing.T) {
	t.Parallel()
	ny := time.FixedZone("-04:00", -4*3600)
	a := models.Action{Kind: " rally ", Title: "  Rally ", City: " New York ", Region: "NY", Country: " us ",
		OccurredAt: time.Date(2019, 7, 11, 10, 0, 0, 0, ny)}
	a.Normalise()
	if a.Kind != "rally" || a.Title != "Rally" || a.City != "New York" || a.Country != "US" {
		t.Errorf("not trimmed: %+v", a)
	}
	if a.TimeZone != "America/New_York" {
		t.Errorf("zone = %q, want the place's own", a.TimeZone)
	}
	if a.OccurredAt.Location() != time.UTC || !a.OccurredAt.Equal(time.Date(2019, 7, 11, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("time = %v, want the same instant in UTC", a.OccurredAt)
	}

	a = models.Action{Region: "NY", DateOnly: true}
	a.Normalise()
	if a.TimeZone != "" {
		t.Errorf("day-only action got zone %q; its date is shown as it is", a.TimeZone)
	}
	a = models.Action{Region: "NY", TimeZone: "Europe/Berlin"}
	a.Normalise()
	if a.TimeZone != "Europe/Berlin" {
		t.Errorf("a given zone was replaced: %q", a.TimeZone)
	}
	a = models.Action{Country: "DE", Region: "BE"}
	a.Normalise()
	if a.TimeZone != "" {
		t.Errorf("zone outside the US = %q, want UTC (the organiser picks one)", a.TimeZone)
	}
}

func TestActionStore(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, other := recordsDemo(t, store)

		// Invalid: refused with field errors, nothing stored.
		bad := validAction()
		bad.Kind = "picnic"
		wantFieldError(t, store.CreateAction(ctx, models.CommandLine, demo.ID, &bad), "kind")

		a := validAction()
		a.Title, a.TimeZone, a.Notes = "  Second rally  ", "", "private: who brought the banner"
		a.OccurredAt = time.Date(2019, 7, 20, 17, 0, 0, 0, time.UTC)
		if err := store.CreateAction(ctx, models.CommandLine, demo.ID, &a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.CampaignID != demo.ID || a.Title != "Second rally" || a.TimeZone != "America/Los_Angeles" {
			t.Fatalf("created = %+v", a)
		}
		log, _ := store.AuditForRecord(ctx, "action", a.ID)
		if len(log) != 1 || log[0].Action != models.AuditCreate || log[0].ChangeSet()["Title"].After != "Second rally" {
			t.Fatalf("audit = %+v", log)
		}

		got, err := store.Action(ctx, demo.ID, a.ID)
		if err != nil || got.Title != "Second rally" || len(got.Sources) != 1 {
			t.Fatalf("Action = %+v, %v", got, err)
		}
		if _, err := store.Action(ctx, other.ID, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another campaign's action: err = %v, want ErrNotFound", err)
		}

		// The list: by time, then id; filtered by kind and city (any case).
		all, err := store.ActionsFor(ctx, demo.ID, models.ActionFilter{})
		if err != nil || len(all) != 7 {
			t.Fatalf("ActionsFor = %d actions, %v; want 6 demo + 1", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			p, c := all[i-1], all[i]
			if c.OccurredAt.Before(p.OccurredAt) || c.OccurredAt.Equal(p.OccurredAt) && c.ID < p.ID {
				t.Errorf("out of order: %q (%v) before %q (%v)", p.Title, p.OccurredAt, c.Title, c.OccurredAt)
			}
		}
		if all[0].Kind != "disruption" || all[len(all)-1].ID != a.ID {
			t.Errorf("first %q, last %q", all[0].Title, all[len(all)-1].Title)
		}
		seattle, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{City: "SEATTLE"})
		if len(seattle) != 2 {
			t.Errorf("Seattle actions = %d, want 2", len(seattle))
		}
		rallies, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{Kind: "rally", City: "seattle"})
		strikes, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{Kind: "strike"})
		if len(rallies) != 2 || len(strikes) != 1 || strikes[0].City != "Shakopee" {
			t.Errorf("rallies in Seattle = %d, strikes = %+v", len(rallies), strikes)
		}
		if none, _ := store.ActionsFor(ctx, other.ID, models.ActionFilter{}); len(none) != 0 {
			t.Errorf("the other campaign lists %d actions", len(none))
		}

		// Update: normalised, validated, audited; scoped to the campaign.
		up, err := store.UpdateAction(ctx, models.CommandLine, demo.ID, a.ID, func(a *models.Action) {
			a.Attendance, a.Country = "about 40", "us"
		})
		if err != nil || up.Attendance != "about 40" || up.Country != "US" {
			t.Fatalf("UpdateAction = %+v, %v", up, err)
		}
		log, _ = store.AuditForRecord(ctx, "action", a.ID)
		if len(log) != 2 || log[0].Action != models.AuditUpdate || log[0].ChangeSet()["Attendance"].After != "about 40" {
			t.Fatalf("audit after update = %+v", log)
		}
		_, err = store.UpdateAction(ctx, models.CommandLine, demo.ID, a.ID, func(a *models.Action) { a.Title = "" })
		wantFieldError(t, err, "title")
		if _, err := store.UpdateAction(ctx, models.CommandLine, other.ID, a.ID, func(a *models.Action) { a.Title = "x" }); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("update through another campaign: err = %v, want ErrNotFound", err)
		}
		if err := store.DeleteAction(ctx, models.CommandLine, other.ID, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("delete through another campaign: err = %v, want ErrNotFound", err)
		}

		// Delete: a response that answered it stays, answering the campaign.
		r := validResponse()
		r.ActionID = &a.ID
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &r); err != nil {
			t.Fatal(err)
		}
		if err := store.DeleteAction(ctx, models.CommandLine, demo.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Action(ctx, demo.ID, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("deleted action: err = %v", err)
		}
		log, _ = store.AuditForRecord(ctx, "action", a.ID)
		if log[0].Action != models.AuditDelete || log[0].ChangeSet()["Title"].Before != "Second rally" {
			t.Errorf("delete audit = %+v", log[0])
		}
		kept, err := store.Response(ctx, demo.ID, r.ID)
		if err != nil || kept.ActionID != nil || kept.Action != nil {
			t.Errorf("response to the deleted action = %+v, %v; want it kept, answering the campaign", kept, err)
		}
	})
}
