package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// person returns signature i of a partner's file, its address written the
// way that partner's platform wrote it: every form of one person's
// address is the same identity.
func person(i int, form int) *models.Signature {
	emails := []string{
		fmt.Sprintf("person%d@gmail.com", i),
		fmt.Sprintf("Per.son%d+b@GoogleMail.com", i),
		fmt.Sprintf("PERSON%d+c@gmail.com ", i),
	}
	s := &models.Signature{FirstName: fmt.Sprintf("P%d", i), Email: emails[form], City: "Seattle", Region: "WA"}
	s.Normalise()
	return s
}

func file(form int, ranges ...[2]int) []*models.Signature {
	var out []*models.Signature
	for _, r := range ranges {
		for i := r[0]; i < r[1]; i++ {
			out = append(out, person(i, form))
		}
	}
	return out
}

type figure struct{ received, unique, shared int64 }

func figures(t *testing.T, store *models.Store, campaignID uint) (models.SourceCount, map[string]figure, map[[2]string]int64) {
	t.Helper()
	sc, err := store.SourceFigures(context.Background(), campaignID)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]figure{}
	for _, f := range sc.Sources {
		by[f.Name] = figure{f.Received, f.Unique, f.Shared}
	}
	pairs := map[[2]string]int64{}
	for _, p := range sc.Pairs {
		a, b := p.A, p.B
		if a > b {
			a, b = b, a
		}
		pairs[[2]string{a, b}] = p.Shared
	}
	return sc, by, pairs
}

func noDrift(t *testing.T, store *models.Store, when string) {
	t.Helper()
	if d, err := store.Recount(context.Background()); err != nil || len(d) != 0 {
		t.Fatalf("%s: recount found drift %+v, %v", when, d, err)
	}
}

// TestThreeOverlappingFiles: three partners' files that share people,
// each written differently, give exactly the unique, shared and pairwise
// numbers; the same file again changes nothing; recount agrees.
func TestThreeOverlappingFiles(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		base, _ := store.SignatureCount(ctx, c.ID)
		a, b, cc := testdb.Source(t, store, c.ID, "A"), testdb.Source(t, store, c.ID, "B"), testdb.Source(t, store, c.ID, "C")
		imports := []struct {
			src  uint
			sigs []*models.Signature
			want models.ImportResult
		}{
			{a, file(0, [2]int{0, 100}), models.ImportResult{Imported: 100}},
			{b, file(1, [2]int{70, 170}), models.ImportResult{Imported: 70, Duplicates: 30, Credited: 30}},
			{cc, file(2, [2]int{150, 200}, [2]int{0, 10}), models.ImportResult{Imported: 30, Duplicates: 30, Credited: 30}},
		}
		for i, im := range imports {
			res, err := store.ImportSignatures(ctx, c.ID, im.src, im.sigs)
			if err != nil || res != im.want {
				t.Fatalf("import %d: %+v, %v; want %+v", i, res, err, im.want)
			}
		}
		check := func(when string) {
			t.Helper()
			sc, by, pairs := figures(t, store, c.ID)
			if sc.People != base+200 {
				t.Errorf("%s: %d people, want %d", when, sc.People, base+200)
			}
			for name, want := range map[string]figure{"A": {100, 60, 40}, "B": {100, 50, 50}, "C": {60, 30, 30}} {
				if by[name] != want {
					t.Errorf("%s: source %s = %+v, want %+v", when, name, by[name], want)
				}
			}
			for pair, want := range map[[2]string]int64{{"A", "B"}: 30, {"B", "C"}: 20, {"A", "C"}: 10} {
				if pairs[pair] != want {
					t.Errorf("%s: %v share %d, want %d", when, pair, pairs[pair], want)
				}
			}
			if len(pairs) != 3 {
				t.Errorf("%s: pairs %v", when, pairs)
			}
		}
		check("after the three files")
		noDrift(t, store, "after the three files")
		// The same file again, and a file of B's people in A's form.
		res, err := store.ImportSignatures(ctx, c.ID, b, file(1, [2]int{70, 170}))
		if err != nil || res != (models.ImportResult{Duplicates: 100}) {
			t.Fatalf("the same file again: %+v, %v", res, err)
		}
		res, err = store.ImportSignatures(ctx, c.ID, b, file(0, [2]int{70, 170}))
		if err != nil || res != (models.ImportResult{Duplicates: 100}) {
			t.Fatalf("the same people written otherwise: %+v, %v", res, err)
		}
		check("after importing again")
		noDrift(t, store, "after importing again")

		// The address as typed is kept for mail; the export names every
		// source that had the person.
		var got []models.Signature
		if err := store.EachSignature(ctx, c.ID, 1000, func(rows []models.Signature) error { got = append(got, rows...); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, s := range got {
			if s.FirstName == "P75" && (s.Email != "person75@gmail.com" || s.Sources != "A; B") {
				t.Errorf("person 75: email %q sources %q", s.Email, s.Sources)
			}
			if s.FirstName == "P5" && s.Sources != "A; C" {
				t.Errorf("person 5: sources %q", s.Sources)
			}
		}
	})
}

// TestWebSignersAndWithdrawalMoveTheSourceFigures: the form is a source;
// a partner's file confirms a pending web signer; withdrawal and expiry
// move the figures; recount finds no drift after any of it.
func TestWebSignersAndWithdrawalMoveTheSourceFigures(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		web := []*models.Signature{
			{CampaignID: c.ID, FirstName: "Ana", Email: "Ana.Lopez+nt4i@gmail.com"},                         // counted at once
			{CampaignID: c.ID, FirstName: "Ben", Email: "ben@example.org", NeedsConfirmation: true},         // pending, then on a list
			{CampaignID: c.ID, FirstName: "Cy", Email: "cy@example.org", NeedsConfirmation: true},           // pending, expires
			{CampaignID: c.ID, FirstName: "Di", Email: "di@example.org"},                                    // counted, withdraws
			{CampaignID: c.ID, FirstName: "Ana", Email: "analopez@googlemail.com", NeedsConfirmation: true}, // a repeat
		}
		for _, s := range web {
			s.Normalise()
		}
		errs, err := store.AddSignatures(ctx, web)
		if err != nil || errs[4] != models.ErrAlreadySigned {
			t.Fatalf("signing: %v %v", errs, err)
		}
		list := testdb.Source(t, store, c.ID, "Mijente list")
		partnerRows := []*models.Signature{
			{FirstName: "Ana", Email: "ANALOPEZ@gmail.com"},
			{FirstName: "Ben", Email: "Ben@Example.org"},
			{FirstName: "Eve", Email: "eve@example.org"},
		}
		res, err := store.ImportSignatures(ctx, c.ID, list, partnerRows)
		if err != nil || res != (models.ImportResult{Imported: 1, Duplicates: 2, Credited: 2}) {
			t.Fatalf("import: %+v %v", res, err)
		}
		if k := kept(t, store, c.ID); k.Pending != 1 {
			t.Errorf("pending after the list confirmed Ben: %+v", k)
		}
		_, by, pairs := figures(t, store, c.ID)
		if by[models.WebSourceName] != (figure{3, 1, 2}) || by["Mijente list"] != (figure{3, 1, 2}) || pairs[[2]string{"Mijente list", models.WebSourceName}] != 2 {
			t.Errorf("after the list: %+v %v", by, pairs)
		}
		noDrift(t, store, "after the list")

		if err := store.WithdrawSignature(ctx, c.ID, web[0].ID); err != nil { // Ana, on both
			t.Fatal(err)
		}
		if err := store.WithdrawSignature(ctx, c.ID, web[3].ID); err != nil { // Di, web only
			t.Fatal(err)
		}
		if n, err := store.ExpirePending(ctx, time.Now().Add(8*24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("expired %d, %v", n, err)
		}
		_, by, pairs = figures(t, store, c.ID)
		if by[models.WebSourceName] != (figure{1, 0, 1}) || by["Mijente list"] != (figure{2, 1, 1}) || pairs[[2]string{"Mijente list", models.WebSourceName}] != 1 {
			t.Errorf("after withdrawals and expiry: %+v %v", by, pairs)
		}
		noDrift(t, store, "after withdrawals and expiry")
		// Withdrawn, Ana may sign again: a new person on the form alone.
		again := &models.Signature{CampaignID: c.ID, FirstName: "Ana", Email: "analopez@gmail.com"}
		if err := store.AddSignature(ctx, again); err != nil {
			t.Fatal(err)
		}
		noDrift(t, store, "after signing again")
	})
}

// TestEmailRuleMergesPeople: a rule that makes two signatures one person
// merges them, the earliest kept with both sources; removing it splits
// nothing but gives later signers their own identity again.
func TestEmailRuleMergesPeople(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		a, b := testdb.Source(t, store, c.ID, "A"), testdb.Source(t, store, c.ID, "B")
		early := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
		if _, err := store.ImportSignatures(ctx, c.ID, a, []*models.Signature{{FirstName: "Late", Email: "ana@yahoo.com", SignedAt: early.AddDate(0, 1, 0)}, {FirstName: "Ola", Email: "ola@yahoo.com"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ImportSignatures(ctx, c.ID, b, []*models.Signature{{FirstName: "Early", Email: "ana-petition@ymail.com", SignedAt: early}}); err != nil {
			t.Fatal(err)
		}
		before, _ := store.SignatureCount(ctx, c.ID)
		if _, err := store.AddEmailRule(ctx, models.CommandLine, models.EmailRule{Domain: "yahoo.com", TagSeps: "-"}); err != nil {
			t.Fatal(err)
		}
		change, err := store.AddEmailRule(ctx, models.CommandLine, models.EmailRule{Domain: "ymail.com", AliasOf: "yahoo.com"})
		if err != nil || change.Merged != 1 {
			t.Fatalf("alias rule: %+v %v", change, err)
		}
		if n, _ := store.SignatureCount(ctx, c.ID); n != before-1 {
			t.Errorf("count %d, want %d", n, before-1)
		}
		var got []models.Signature
		store.EachSignature(ctx, c.ID, 100, func(rows []models.Signature) error { got = append(got, rows...); return nil })
		found := false
		for _, s := range got {
			if s.FirstName == "Late" {
				t.Errorf("the later signature was kept: %+v", s)
			}
			if s.FirstName == "Early" {
				found = true
				if s.Sources != "A; B" {
					t.Errorf("the kept signature's sources: %q", s.Sources)
				}
			}
		}
		if !found {
			t.Error("the earliest signature is gone")
		}
		_, by, pairs := figures(t, store, c.ID)
		if by["A"] != (figure{2, 1, 1}) || by["B"] != (figure{1, 0, 1}) || pairs[[2]string{"A", "B"}] != 1 {
			t.Errorf("after the merge: %+v %v", by, pairs)
		}
		noDrift(t, store, "after the merge")
		// A new signer under the rule is the same person.
		if err := store.AddSignature(ctx, &models.Signature{CampaignID: c.ID, FirstName: "Ana", Email: "ana@ymail.com"}); err != models.ErrAlreadySigned {
			t.Errorf("signing as ana@ymail.com after the rule: %v", err)
		}
		custom, _, _ := store.EmailRulesInForce(ctx)
		for _, r := range custom {
			if _, err := store.DeleteEmailRule(ctx, models.CommandLine, r.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.AddSignature(ctx, &models.Signature{CampaignID: c.ID, FirstName: "Ana", Email: "ana@ymail.com"}); err != nil {
			t.Errorf("without the rules, ana@ymail.com is someone else: %v", err)
		}
		noDrift(t, store, "after removing the rules")
		if _, err := store.AddEmailRule(ctx, models.CommandLine, models.EmailRule{Domain: "", IgnoreDots: true}); err == nil {
			t.Error("a rule for no domain was taken")
		}
	})
}

// TestMigrationMergesExistingDuplicates: signatures stored before
// identities (lower-cased addresses, one per origin) are migrated: the
// people who are one are merged, the earliest kept, every origin a source
// that had them, and the counts agree.
func TestMigrationMergesExistingDuplicates(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			store := testdb.OpenUnmigrated(t, e)
			if err := store.MigrateToForTest(ctx, 9); err != nil {
				t.Fatal(err)
			}
			if err := store.ExecForTest(ctx, `INSERT INTO campaigns (slug, title, target, demand, status, created_at, updated_at) VALUES ('c', 'C', 'Amazon', 'Stop', 'active', ?, ?)`, time.Now(), time.Now()); err != nil {
				t.Fatal(err)
			}
			rows := []struct {
				email, origin string
				day           int
			}{
				{"ana.lopez+nt4i@gmail.com", "import: mijente.csv", 3},
				{"analopez@googlemail.com", "web", 1},
				{"analopez@gmail.com", "import: aclu.csv", 2},
				{"ben@example.org", "web", 1},
				{"ben+x@example.org", "import", 5},
				{"cy@example.org", "import: aclu.csv", 1},
			}
			for _, r := range rows {
				at := time.Date(2019, 7, r.day, 0, 0, 0, 0, time.UTC)
				if err := store.ExecForTest(ctx, `INSERT INTO signatures (campaign_id, first_name, email, origin, signed_at, created_at, confirmed_at)
					SELECT id, 'X', ?, ?, ?, ?, ? FROM campaigns WHERE slug = 'c'`, r.email, r.origin, at, at, at); err != nil {
					t.Fatal(err)
				}
			}
			if err := store.ExecForTest(ctx, `INSERT INTO signature_counters (campaign_id, slot, n) SELECT id, 0, 6 FROM campaigns WHERE slug = 'c'`); err != nil {
				t.Fatal(err)
			}
			if _, _, err := store.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			c, err := store.CampaignBySlug(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := store.SignatureCount(ctx, c.ID); n != 3 {
				t.Errorf("count after the migration %d, want 3 people", n)
			}
			if n, _ := store.SignatureRows(ctx, c.ID); n != 3 {
				t.Errorf("%d rows, want 3", n)
			}
			var got []models.Signature
			store.EachSignature(ctx, c.ID, 100, func(rs []models.Signature) error { got = append(got, rs...); return nil })
			want := map[string]string{ // kept address -> sources
				"analopez@googlemail.com": models.WebSourceName + "; aclu.csv; mijente.csv",
				"ben@example.org":         "Imported (file not recorded); " + models.WebSourceName,
				"cy@example.org":          "aclu.csv",
			}
			for _, s := range got {
				if w, ok := want[s.Email]; !ok || s.Sources != w {
					t.Errorf("kept %q with sources %q, want %q", s.Email, s.Sources, w)
				}
			}
			_, by, _ := figures(t, store, c.ID)
			if by["aclu.csv"] != (figure{2, 1, 1}) || by[models.WebSourceName] != (figure{2, 0, 2}) {
				t.Errorf("figures after the migration: %+v", by)
			}
			noDrift(t, store, "after the migration")
		})
	}
}

// TestDeliveryFreezesTheCount: marking a delivery delivered records the
// count then, total and per source; later signatures do not move it; an
// organiser may record it again, audited.
func TestDeliveryFreezesTheCount(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		src := testdb.Source(t, store, c.ID, "Paper sheets")
		if _, err := store.ImportSignatures(ctx, c.ID, src, file(0, [2]int{0, 40})); err != nil {
			t.Fatal(err)
		}
		d := &models.Delivery{City: "Tacoma", Region: "WA", Country: "US", Status: models.DeliveryPlanned}
		if err := store.CreateDelivery(ctx, models.CommandLine, c.ID, d); err != nil {
			t.Fatal(err)
		}
		if counts, _ := store.DeliveryCounts(ctx, c.ID); len(counts) != 0 {
			for _, dc := range counts {
				if dc.DeliveryID == d.ID {
					t.Fatalf("a planned delivery has a count: %+v", dc)
				}
			}
		}
		total, _ := store.SignatureCount(ctx, c.ID)
		if _, err := store.MoveDelivery(ctx, models.CommandLine, c.ID, d.ID, models.DeliveryUnderWay, time.Now(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := store.MoveDelivery(ctx, models.CommandLine, c.ID, d.ID, models.DeliveryDelivered, time.Now(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ImportSignatures(ctx, c.ID, src, file(0, [2]int{40, 50})); err != nil {
			t.Fatal(err)
		}
		counts, err := store.DeliveryCounts(ctx, c.ID)
		dc, ok := counts[d.ID]
		if err != nil || !ok || dc.Total != total {
			t.Fatalf("frozen count %+v (%v), want total %d", dc, err, total)
		}
		var paper *models.FrozenSource
		for i := range dc.Sources {
			if dc.Sources[i].Name == "Paper sheets" {
				paper = &dc.Sources[i]
			}
		}
		if paper == nil || paper.Received != 40 || paper.Unique != 40 {
			t.Errorf("frozen sources %+v", dc.Sources)
		}
		again, err := store.RecordDeliveryCount(ctx, models.CommandLine, c.ID, d.ID, time.Now())
		if err != nil || again.Total != total+10 {
			t.Fatalf("recorded again: %+v %v", again, err)
		}
		history, _ := store.DeliveryCountHistory(ctx, c.ID, d.ID)
		if len(history) != 2 || history[0].ID != again.ID {
			t.Errorf("history %+v", history)
		}
		entries, _ := store.AuditForCampaign(ctx, c.ID, 3)
		if len(entries) == 0 || entries[0].RecordType != "delivery_count" {
			t.Errorf("the second record is not audited: %+v", entries)
		}
		planned := &models.Delivery{City: "Olympia", Region: "WA", Country: "US", Status: models.DeliveryPlanned}
		store.CreateDelivery(ctx, models.CommandLine, c.ID, planned)
		if _, err := store.RecordDeliveryCount(ctx, models.CommandLine, c.ID, planned.ID, time.Now()); err == nil {
			t.Error("a planned delivery's count was recorded")
		}
	})
}
