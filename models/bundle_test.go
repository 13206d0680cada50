package models_test

import (
	"context"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestSeedLoadsOnceWithSources(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		created, err := seed.Load(ctx, store)
		if err != nil || !created {
			t.Fatalf("first load: created=%v err=%v", created, err)
		}
		before := rowCounts(t, store)

		created, err = seed.Load(ctx, store)
		if err != nil || created {
			t.Fatalf("second load: created=%v err=%v, want nothing created", created, err)
		}
		if after := rowCounts(t, store); after != before {
			t.Fatalf("loading twice changed the rows: %+v then %+v", before, after)
		}
		want := counts{campaigns: 1, claims: 6, deliveries: 6, actions: 6, responses: 4, organisations: 7}
		if before != want {
			t.Fatalf("seed rows = %+v, want %+v", before, want)
		}

		c, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		if c.DeliveriesPlanned != 9 {
			t.Errorf("deliveries planned = %d, want 9 (three cities are not named in the sources)", c.DeliveriesPlanned)
		}
		claims, _ := store.ClaimsFor(ctx, c.ID)
		seen := map[int64]bool{}
		for _, cl := range claims {
			seen[cl.Count] = true
			if cl.SourceName == "" || cl.ClaimedBy == "" {
				t.Errorf("claim %d has no source or claimant: %+v", cl.Count, cl)
			}
		}
		for _, n := range []int64{200000, 250000, 270000, 275000} {
			if !seen[n] {
				t.Errorf("no claim of %d: sources disagree and each figure must be kept", n)
			}
		}
		if !claims[0].Headline || claims[0].Count != 270000 {
			t.Errorf("first claim = %+v, want the headline claim of 270,000", claims[0])
		}

		deliveries, _ := store.DeliveriesFor(ctx, c.ID)
		cities := map[string]models.Delivery{}
		for _, d := range deliveries {
			cities[d.City] = d
			if len(d.Sources) == 0 {
				t.Errorf("delivery in %s has no source", d.City)
			}
			if d.Latitude != nil || d.Longitude != nil {
				t.Errorf("delivery in %s has coordinates the sources do not give", d.City)
			}
		}
		seattle, ok := cities["Seattle"]
		if !ok || seattle.Status != models.DeliveryDelivered || seattle.Recipient != "Main reception desk" {
			t.Errorf("Seattle delivery = %+v", seattle)
		}
		if dc := cities["Washington"]; dc.Venue != "" {
			t.Errorf("the DC venue is not named in the sources but was stored as %q", dc.Venue)
		}
		if ny := cities["New York"]; ny.Address != "212 Fifth Ave" || ny.Kind != "executive_home" {
			t.Errorf("New York delivery = %+v", ny)
		}

		responses, _ := store.LatestResponses(ctx, c.ID, 10)
		var noReply, answersAction int
		for _, r := range responses {
			if len(r.Sources) == 0 {
				t.Errorf("response by %s has no source", r.Speaker)
			}
			if r.Kind == "no_reply" {
				noReply++
				if r.Delivery == nil || r.Delivery.City != "San Francisco" {
					t.Errorf("the no-reply should answer the San Francisco delivery, got %+v", r.Delivery)
				}
			}
			if r.Action != nil {
				answersAction++
			}
		}
		if noReply != 1 || answersAction != 1 {
			t.Errorf("no-reply responses = %d, responses answering an action = %d; want 1 and 1", noReply, answersAction)
		}
		actions, _ := store.LatestActions(ctx, c.ID, 10)
		for _, a := range actions {
			if len(a.Sources) == 0 {
				t.Errorf("action %q has no source", a.Title)
			}
		}
		orgs, _ := store.OrganisationsFor(ctx, c.ID)
		for _, o := range orgs {
			if len(o.Sources) == 0 {
				t.Errorf("organisation %q has no source", o.Name)
			}
		}
		if orgs[0].Name != "Mijente" {
			t.Errorf("first partner = %q, want Mijente (the order of the data file)", orgs[0].Name)
		}
	})
}

func TestImportBundleRollsBackOnError(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		b, err := seed.Demo()
		if err != nil {
			t.Fatal(err)
		}
		b.Responses[0].DeliveryRef = "atlantis"
		b.Responses[0].ActionRef = ""
		if _, err := store.ImportBundle(ctx, b); err == nil {
			t.Fatal("a response answering an unknown delivery was accepted")
		}
		if got := rowCounts(t, store); got != (counts{}) {
			t.Fatalf("a failed import left rows behind: %+v", got)
		}
	})
}

type counts struct {
	campaigns, claims, deliveries, actions, responses, organisations int64
}

func rowCounts(t *testing.T, store *models.Store) counts {
	t.Helper()
	var c counts
	var err error
	for _, x := range []struct {
		table string
		n     *int64
	}{
		{"campaigns", &c.campaigns}, {"count_claims", &c.claims}, {"deliveries", &c.deliveries},
		{"actions", &c.actions}, {"responses", &c.responses}, {"organisations", &c.organisations},
	} {
		if *x.n, err = store.CountRows(context.Background(), x.table); err != nil {
			t.Fatal(err)
		}
	}
	return c
}
