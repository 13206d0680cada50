package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

func validResponse() models.Response {
	return models.Response{
		RespondedAt: time.Date(2019, 7, 16, 9, 30, 0, 0, time.UTC), Speaker: "AWS spokesperson",
		Channel: "press_statement", Kind: "statement", Quote: "We use technology responsibly.",
		Sources: models.Sources{{Name: "The Seattle Times"}},
	}
}

func noReply() models.Response {
	return models.Response{
		RespondedAt: time.Date(2019, 7, 16, 0, 0, 0, 0, time.UTC), DateOnly: true,
		Channel: models.ResponseNoReply, Kind: models.ResponseNoReply,
		Summary: "Amazon did not answer a request for comment.",
		Sources: models.Sources{{Name: "KPIX CBS San Francisco", URL: "https://cbsnews.com/x"}},
	}
}

func TestResponseValidate(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	id := uint(1)
	for name, r := range map[string]models.Response{"statement": validResponse(), "no reply": noReply()} {
		if fe := r.Validate(); len(fe) != 0 {
			t.Fatalf("valid %s: %v", name, fe)
		}
	}
	for _, tc := range []struct {
		name, field string
		base        func() models.Response
		change      func(*models.Response)
	}{
		{"unknown channel", "channel", validResponse, func(r *models.Response) { r.Channel = "fax" }},
		{"unknown kind", "kind", validResponse, func(r *models.Response) { r.Kind = "apology" }},
		{"no_reply channel, other kind", "kind", noReply, func(r *models.Response) { r.Kind, r.Quote, r.Speaker = "statement", "words", "Amazon" }},
		{"no_reply kind, other channel", "channel", noReply, func(r *models.Response) { r.Channel = "email" }},
		{"a statement without its words", "quote", validResponse, func(r *models.Response) { r.Quote = "  "; r.Summary = "They said no." }},
		{"a refusal without its words", "quote", validResponse, func(r *models.Response) { r.Kind = "refusal"; r.Quote = "" }},
		{"a no comment with no words at all", "quote", validResponse, func(r *models.Response) { r.Kind = "no_comment"; r.Quote = "" }},
		{"a no reply with a quote", "quote", noReply, func(r *models.Response) { r.Quote = "No comment." }},
		{"a statement with no speaker", "speaker", validResponse, func(r *models.Response) { r.Speaker = " " }},
		{"quote too long", "quote", validResponse, func(r *models.Response) { r.Quote = long(5001) }},
		{"summary too long", "summary", validResponse, func(r *models.Response) { r.Summary = long(2001) }},
		{"speaker too long", "speaker", validResponse, func(r *models.Response) { r.Speaker = long(201) }},
		{"speaker too long on a no reply", "speaker", noReply, func(r *models.Response) { r.Speaker = long(201) }},
		{"role too long", "speaker_role", validResponse, func(r *models.Response) { r.SpeakerRole = long(201) }},
		{"no date", "responded_at", validResponse, func(r *models.Response) { r.RespondedAt = time.Time{} }},
		{"no date on a no reply", "responded_at", noReply, func(r *models.Response) { r.RespondedAt = time.Time{} }},
		{"unknown zone", "time_zone", validResponse, func(r *models.Response) { r.TimeZone = "Seattle" }},
		{"answers a delivery and an action", "answers", validResponse, func(r *models.Response) { r.DeliveryID, r.ActionID = &id, &id }},
		{"a nameless source", "sources", validResponse, func(r *models.Response) { r.Sources = models.Sources{{Name: " "}} }},
		{"a source that is no web address", "sources", validResponse, func(r *models.Response) { r.Sources = models.Sources{{URL: "ftp://x"}} }},
		{"notes too long", "notes", validResponse, func(r *models.Response) { r.Notes = long(10001) }},
	} {
		r := tc.base()
		tc.change(&r)
		fe := r.Validate()
		if fe[tc.field] == "" || len(fe) != 1 {
			t.Errorf("%s: errors = %v, want exactly one on %s", tc.name, fe, tc.field)
		}
	}

	// What is allowed: a no comment paraphrased in the summary, a no reply
	// naming who was asked, a response to the campaign as a whole.
	for name, change := range map[string]func(*models.Response){
		"no comment, summary only": func(r *models.Response) { r.Kind, r.Quote, r.Summary = "no_comment", "", "Declined to comment." },
		"no comment, quoted":       func(r *models.Response) { r.Kind = "no_comment" },
		"answers one delivery":     func(r *models.Response) { r.DeliveryID = &id },
		"answers one action":       func(r *models.Response) { r.ActionID = &id },
	} {
		r := validResponse()
		change(&r)
		if fe := r.Validate(); len(fe) != 0 {
			t.Errorf("%s: %v", name, fe)
		}
	}
	r := noReply()
	r.Speaker, r.SpeakerRole = "Amazon press office", "asked by KPIX"
	if fe := r.Validate(); len(fe) != 0 {
		t.Errorf("no reply naming who was asked: %v", fe)
	}
	if msg := (&models.Response{}).Validate()["channel"]; !strings.Contains(msg, strings.Join(models.ResponseChannels, ", ")) {
		t.Errorf("channel message %q does not list the channels", msg)
	}
}

func TestResponseNormalise(t *testing.T) {
	t.Parallel()
	zero := uint(0)
	r := models.Response{Kind: " no_reply ", Speaker: " Amazon ", DeliveryID: &zero, ActionID: &zero,
		RespondedAt: time.Date(2019, 7, 15, 8, 0, 0, 0, time.FixedZone("-07:00", -7*3600))}
	r.Normalise()
	if r.Kind != models.ResponseNoReply || r.Channel != models.ResponseNoReply {
		t.Errorf("kind %q, channel %q: a no reply is one on both", r.Kind, r.Channel)
	}
	if r.Speaker != "Amazon" || r.DeliveryID != nil || r.ActionID != nil {
		t.Errorf("normalised = %+v", r)
	}
	if r.RespondedAt.Location() != time.UTC || r.RespondedAt.Hour() != 15 {
		t.Errorf("time = %v, want 15:00 UTC", r.RespondedAt)
	}
	r = models.Response{Channel: "no_reply"}
	r.Normalise()
	if r.Kind != models.ResponseNoReply {
		t.Errorf("kind = %q", r.Kind)
	}
	r = models.Response{Channel: "email", Kind: "no_reply"}
	r.Normalise()
	if r.Channel != "email" {
		t.Errorf("a channel given was changed to %q: the mismatch is for Validate to report", r.Channel)
	}
}

func TestResponseStore(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, other := recordsDemo(t, store)
		deliveries, _ := store.DeliveriesFor(ctx, demo.ID)
		var seattle models.Delivery
		for _, d := range deliveries {
			if d.City == "Seattle" {
				seattle = d
			}
		}
		actions, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{City: "Shakopee"})
		strike := actions[0]
		elsewhere := models.Delivery{City: "Denver", Region: "CO", Status: models.DeliveryPlanned}
		if err := store.CreateDelivery(ctx, models.CommandLine, other.ID, &elsewhere); err != nil {
			t.Fatal(err)
		}
		elsewhereAction := validAction()
		if err := store.CreateAction(ctx, models.CommandLine, other.ID, &elsewhereAction); err != nil {
			t.Fatal(err)
		}
		missing := uint(999999)

		// Create, answering the campaign's own delivery: audited, and read
		// back with the delivery.
		r := validResponse()
		r.DeliveryID, r.Notes = &seattle.ID, "private: called them twice"
		r.Delivery = &models.Delivery{ID: seattle.ID, City: "Overwritten?"} // not written through
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &r); err != nil {
			t.Fatal(err)
		}
		got, err := store.Response(ctx, demo.ID, r.ID)
		if err != nil || got.Delivery == nil || got.Delivery.City != "Seattle" || got.Notes != r.Notes {
			t.Fatalf("Response = %+v, %v", got, err)
		}
		if _, err := store.Response(ctx, other.ID, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another campaign's response: err = %v", err)
		}
		log, _ := store.AuditForRecord(ctx, "response", r.ID)
		if len(log) != 1 || log[0].Action != models.AuditCreate || log[0].ChangeSet()["Kind"].After != "statement" {
			t.Fatalf("audit = %+v", log)
		}

		// What it answers must be the campaign's own: refused on "answers",
		// nothing stored, whether the record is another campaign's or none.
		for name, change := range map[string]func(*models.Response){
			"another campaign's delivery": func(r *models.Response) { r.DeliveryID = &elsewhere.ID },
			"another campaign's action":   func(r *models.Response) { r.ActionID = &elsewhereAction.ID },
			"a missing delivery":          func(r *models.Response) { r.DeliveryID = &missing },
			"a missing action":            func(r *models.Response) { r.ActionID = &missing },
		} {
			r := validResponse()
			change(&r)
			err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &r)
			wantFieldError(t, err, "answers")
			if r.ID != 0 {
				t.Errorf("%s: stored as %d", name, r.ID)
			}
		}
		// The other way round: the other campaign cannot claim the demo's.
		r2 := validResponse()
		r2.ActionID = &strike.ID
		wantFieldError(t, store.CreateResponse(ctx, models.CommandLine, other.ID, &r2), "answers")
		if n, _ := store.ResponsesFor(ctx, other.ID, models.ResponsesOldestFirst); len(n) != 0 {
			t.Errorf("the other campaign has %d responses after refusals", len(n))
		}
		// Every problem at once: a form shows them together.
		r3 := validResponse()
		r3.Kind, r3.DeliveryID = "apology", &elsewhere.ID
		err = store.CreateResponse(ctx, models.CommandLine, demo.ID, &r3)
		wantFieldError(t, err, "kind")
		wantFieldError(t, err, "answers")

		// Update: the same check, inside the update's transaction.
		_, err = store.UpdateResponse(ctx, models.CommandLine, demo.ID, r.ID, func(r *models.Response) { r.DeliveryID = &elsewhere.ID })
		wantFieldError(t, err, "answers")
		_, err = store.UpdateResponse(ctx, models.CommandLine, demo.ID, r.ID, func(r *models.Response) { r.DeliveryID, r.ActionID = nil, &missing })
		wantFieldError(t, err, "answers")
		if got, _ := store.Response(ctx, demo.ID, r.ID); got.DeliveryID == nil || *got.DeliveryID != seattle.ID || got.ActionID != nil {
			t.Errorf("a refused update changed the response: %+v", got)
		}
		up, err := store.UpdateResponse(ctx, models.CommandLine, demo.ID, r.ID, func(r *models.Response) {
			r.DeliveryID, r.ActionID, r.Kind = nil, &strike.ID, "refusal"
		})
		if err != nil || up.ActionID == nil || *up.ActionID != strike.ID || up.DeliveryID != nil {
			t.Fatalf("UpdateResponse = %+v, %v", up, err)
		}
		log, _ = store.AuditForRecord(ctx, "response", r.ID)
		if len(log) != 2 || log[0].ChangeSet()["Kind"].After != "refusal" {
			t.Errorf("audit after update = %+v", log)
		}
		if _, err := store.UpdateResponse(ctx, models.CommandLine, other.ID, r.ID, func(*models.Response) {}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("update through another campaign: err = %v", err)
		}
		_, err = store.UpdateResponse(ctx, models.CommandLine, demo.ID, r.ID, func(r *models.Response) { r.Channel = models.ResponseNoReply })
		wantFieldError(t, err, "kind")

		// A no reply: first-class, with who was asked and no quote.
		nr := noReply()
		nr.DeliveryID = &seattle.ID
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &nr); err != nil {
			t.Fatal(err)
		}

		// The lists: oldest or newest first, with what each answers.
		oldest, err := store.ResponsesFor(ctx, demo.ID, models.ResponsesOldestFirst)
		if err != nil || len(oldest) != 6 {
			t.Fatalf("ResponsesFor = %d, %v; want 4 demo + 2", len(oldest), err)
		}
		for i := 1; i < len(oldest); i++ {
			if oldest[i].RespondedAt.Before(oldest[i-1].RespondedAt) {
				t.Errorf("oldest first: %v after %v", oldest[i].RespondedAt, oldest[i-1].RespondedAt)
			}
		}
		if oldest[0].Speaker != "Werner Vogels" || oldest[0].Action == nil || oldest[0].Action.Kind != "disruption" {
			t.Errorf("first response = %+v", oldest[0])
		}
		newest, _ := store.ResponsesFor(ctx, demo.ID, models.ResponsesNewestFirst)
		if len(newest) != 6 || newest[0].ID != oldest[5].ID || newest[5].ID != oldest[0].ID {
			t.Errorf("newest first is not the reverse of oldest first")
		}
		var sawNoReply bool
		for _, x := range newest {
			if x.ID == nr.ID {
				sawNoReply = x.Delivery != nil && x.Delivery.City == "Seattle" && x.IsNoReply()
			}
		}
		if !sawNoReply {
			t.Errorf("the no reply is not listed with its delivery")
		}

		if err := store.DeleteResponse(ctx, models.CommandLine, other.ID, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("delete through another campaign: err = %v", err)
		}
		if err := store.DeleteResponse(ctx, models.CommandLine, demo.ID, r.ID); err != nil {
			t.Fatal(err)
		}
		log, _ = store.AuditForRecord(ctx, "response", r.ID)
		if log[0].Action != models.AuditDelete || log[0].ChangeSet()["Kind"].Before != "refusal" {
			t.Errorf("delete audit = %+v", log[0])
		}
	})
}

// TestAwaiting: with the demo campaign and a fixed now, every delivery
// and action that happened and has no answer is listed, oldest first, with
// its days of silence; a logged "no reply" keeps it on the list.
func TestAwaiting(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, other := recordsDemo(t, store)
		now := time.Date(2019, 7, 25, 10, 0, 0, 0, time.UTC)

		list, err := store.Awaiting(ctx, demo.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		// Five deliveries made (San Francisco's is only planned) and five
		// actions: the AWS Summit disruption was answered on stage.
		if len(list) != 10 {
			t.Fatalf("awaiting = %d entries, want 10: %+v", len(list), list)
		}
		first := list[0]
		if first.Kind != models.AnswersDelivery || first.Delivery == nil || first.Delivery.City != "Elizabeth" || first.Delivery.Status != models.DeliveryDelivered || first.DaysWaiting != 11 || !first.DateOnly {
			t.Errorf("first = %+v; want Elizabeth's delivery of 14 July, 11 days", first)
		}
		kinds := ""
		for _, a := range list[1:] {
			kinds += a.Kind[:1]
			if a.DaysWaiting != 10 || a.NoReplyLogged || a.LastResponse != nil {
				t.Errorf("%s %d: %d days, no reply %v; want 10 days and nothing logged", a.Kind, a.ID, a.DaysWaiting, a.NoReplyLogged)
			}
			if a.Kind == models.AnswersAction && strings.Contains(a.Action.Title, "AWS Summit") {
				t.Errorf("the answered AWS Summit action is listed")
			}
		}
		if kinds != "ddddaaaaa" {
			t.Errorf("order of 15 July = %s; want deliveries before actions", kinds)
		}
		for i := 1; i < len(list); i++ {
			p, c := list[i-1], list[i]
			if p.At.Equal(c.At) && p.Kind == c.Kind && p.ID > c.ID {
				t.Errorf("same time and kind not by id: %d then %d", p.ID, c.ID)
			}
		}

		byCity := func(city string) models.Delivery {
			ds, _ := store.Deliveries(ctx, demo.ID, models.DeliveryFilter{City: city})
			return ds[0]
		}
		seattle, newYork := byCity("Seattle"), byCity("New York")

		// A logged no reply: still awaiting, silence on the record.
		nr := noReply()
		nr.DeliveryID, nr.Notes = &seattle.ID, "private: who we called"
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &nr); err != nil {
			t.Fatal(err)
		}
		// An answer: off the list.
		ans := validResponse()
		ans.DeliveryID, ans.RespondedAt = &newYork.ID, time.Date(2019, 7, 18, 9, 0, 0, 0, time.UTC)
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &ans); err != nil {
			t.Fatal(err)
		}
		// A timed action five days later, one in the future, a refused
		// delivery before them all, a delivery "delivered" after now.
		later := validAction()
		later.Title, later.OccurredAt = "March downtown", time.Date(2019, 7, 20, 18, 0, 0, 0, time.UTC)
		future := validAction()
		future.Title, future.OccurredAt = "Planned march", time.Date(2019, 7, 30, 18, 0, 0, 0, time.UTC)
		for _, a := range []*models.Action{&later, &future} {
			if err := store.CreateAction(ctx, models.CommandLine, demo.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		refusedAt := time.Date(2019, 7, 13, 20, 0, 0, 0, time.UTC)
		refused := models.Delivery{City: "Denver", Region: "CO", Status: models.DeliveryRefused, DeliveredAt: &refusedAt, Sources: models.Sources{{Name: "Denver Post"}}}
		notYet := time.Date(2019, 7, 26, 0, 0, 0, 0, time.UTC)
		early := models.Delivery{City: "Boston", Region: "MA", Status: models.DeliveryDelivered, DeliveredAt: &notYet}
		for _, d := range []*models.Delivery{&refused, &early} {
			if err := store.CreateDelivery(ctx, models.CommandLine, demo.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		// The other campaign's records never show up here.
		otherAction := validAction()
		if err := store.CreateAction(ctx, models.CommandLine, other.ID, &otherAction); err != nil {
			t.Fatal(err)
		}

		list, err = store.Awaiting(ctx, demo.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 11 {
			t.Fatalf("awaiting = %d, want 11: %+v", len(list), list)
		}
		if list[0].ID != refused.ID || list[0].Delivery == nil || list[0].Delivery.Status != models.DeliveryRefused || list[0].DaysWaiting != 11 {
			t.Errorf("first = %+v; want the refused delivery of 13 July 20:00, 11 whole days", list[0])
		}
		if last := list[len(list)-1]; last.ID != later.ID || last.DaysWaiting != 4 || last.Place != "Seattle, WA" {
			t.Errorf("last = %+v; want the march of 20 July 18:00, 4 whole days", last)
		}
		for _, a := range list {
			if a.Kind == models.AnswersDelivery && a.ID == newYork.ID {
				t.Errorf("the answered New York delivery is still listed")
			}
			if a.ID == future.ID && a.Kind == models.AnswersAction || a.ID == early.ID && a.Kind == models.AnswersDelivery {
				t.Errorf("%s %d has not happened yet but is listed", a.Kind, a.ID)
			}
			if a.Kind == models.AnswersAction && a.ID == otherAction.ID {
				t.Errorf("another campaign's action is listed")
			}
			if a.Kind == models.AnswersDelivery && a.ID == seattle.ID {
				if !a.NoReplyLogged || a.LastResponse == nil || a.LastResponse.ID != nr.ID {
					t.Errorf("Seattle = %+v; want the no reply logged", a)
				} else if a.LastResponse.Notes != "" {
					t.Errorf("the last response carries private notes")
				}
			}
		}

		// The per-record view a page shows.
		status, err := store.AnswerStatus(ctx, demo.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		ny := status[models.AnswerKey(models.AnswersDelivery, newYork.ID)]
		if !ny.Answered || ny.Answer == nil || ny.Answer.ID != ans.ID || ny.DaysToAnswer != 3 || ny.DaysWaiting != 0 {
			t.Errorf("New York = %+v; want answered on 18 July, 3 days after", ny)
		}
		sea := status[models.AnswerKey(models.AnswersDelivery, seattle.ID)]
		if sea.Answered || !sea.NoReplyLogged || sea.DaysWaiting != 10 {
			t.Errorf("Seattle = %+v; want unanswered for 10 days, no reply logged", sea)
		}
		aws, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{Kind: "disruption"})
		summit := status[models.AnswerKey(models.AnswersAction, aws[0].ID)]
		if !summit.Answered || summit.Answer.Speaker != "Werner Vogels" || summit.DaysToAnswer != 0 {
			t.Errorf("AWS Summit = %+v; want answered the same day", summit)
		}
		if _, ok := status[models.AnswerKey(models.AnswersAction, future.ID)]; ok {
			t.Errorf("an action yet to happen has a status")
		}
		if len(status) != 13 {
			t.Errorf("status has %d records, want 13 (6 deliveries made, 7 actions happened)", len(status))
		}

		// An answer after a no reply ends the wait; a no comment counts.
		nc := validResponse()
		nc.Kind, nc.DeliveryID = "no_comment", &seattle.ID
		if err := store.CreateResponse(ctx, models.CommandLine, demo.ID, &nc); err != nil {
			t.Fatal(err)
		}
		status, _ = store.AnswerStatus(ctx, demo.ID, now)
		if sea := status[models.AnswerKey(models.AnswersDelivery, seattle.ID)]; !sea.Answered || !sea.NoReplyLogged || sea.LastResponse.ID != nc.ID {
			t.Errorf("Seattle after a no comment = %+v", sea)
		}
		if none, _ := store.Awaiting(ctx, other.ID, now); len(none) != 1 {
			t.Errorf("other campaign awaiting = %+v, want its one action", none)
		}
	})
}
