package models

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A campaign keeps the company to account: every delivery and action is
// owed an answer, and the tracker counts the days it has gone without one.
// A logged "no reply" puts the silence on the record (with its source), but
// it is not an answer: the record stays unanswered and the days go on.

// inTx runs fn with a Store bound to one transaction. The audited helpers
// called on that Store open their own transaction, which GORM nests as a
// savepoint in this one: a check made through tx (what a response answers)
// and the write it guards commit or fail together, without a second copy
// of createAudited and updateAudited.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx})
	})
}

// checkAnswers reports, as a FieldErrors on "answers", a delivery or action
// r answers that is not one of the campaign's own. Another campaign's
// record and a missing one get the same words, so an organiser of one
// campaign learns nothing about the records of another.
func (s *Store) checkAnswers(ctx context.Context, campaignID uint, r *Response) (FieldErrors, error) {
	fe := FieldErrors{}
	for _, ref := range []struct {
		id    *uint
		model any
		what  string
	}{{r.DeliveryID, &Delivery{}, "delivery"}, {r.ActionID, &Action{}, "action"}} {
		if ref.id == nil {
			continue
		}
		var n int64
		if err := s.db.WithContext(ctx).Model(ref.model).
			Where("id = ? AND campaign_id = ?", *ref.id, campaignID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			fe.Add("answers", "the "+ref.what+" this response answers is not one of this campaign's: choose one from its list")
		}
	}
	return fe, nil
}

// Kinds of record a response answers, as AwaitingAnswer.Kind and in
// AnswerKey.
const (
	AnswersDelivery = "delivery"
	AnswersAction   = "action"
)

// AnswerKey is the key of a delivery or action in AnswerStatus's map:
// "delivery:12", "action:3".
func AnswerKey(kind string, id uint) string {
	return kind + ":" + strconv.FormatUint(uint64(id), 10)
}

// AnswerState is whether the company has answered one delivery or action
// that has happened, so a page can say "answered on 16 July 2019" or
// "no answer for 12 days".
type AnswerState struct {
	Answered bool
	// Answer is the first response that answered: any kind but no_reply.
	// Nil when unanswered.
	Answer *Response
	// DaysToAnswer is how many whole days the first answer took (0 when
	// it came the same day, or was dated before the record).
	DaysToAnswer int
	// DaysWaiting is how many whole days the record has gone unanswered
	// until now; 0 when answered.
	DaysWaiting int
	// NoReplyLogged says a "no reply" was recorded for it.
	NoReplyLogged bool
	// LastResponse is its latest response of any kind, or nil.
	LastResponse *Response
}

// AwaitingAnswer is a delivery or action the company has not answered.
type AwaitingAnswer struct {
	Kind string // AnswersDelivery or AnswersAction
	ID   uint
	// Delivery or Action is the record itself, its notes left out: the
	// pages name it in their language (views.awaitingTitle).
	Delivery      *Delivery
	Action        *Action
	Place         string // venue or place, city, region (and country outside the US)
	At            time.Time
	DateOnly      bool   // At is known to the day only
	TimeZone      string // where it happened: see LoadZone
	DaysWaiting   int    // whole days since it happened
	NoReplyLogged bool   // silence is on the record: a "no reply" was logged
	LastResponse  *Response
}

// answerable is a delivery or action that has happened, with what the
// company said to it.
type answerable struct {
	AwaitingAnswer
	state AnswerState
}

// Awaiting lists a campaign's deliveries (delivered or refused, with a
// delivery time) and actions that had happened by now and that the company
// has not answered, oldest first: the longest silence leads. A logged
// "no reply" does not take a record off the list. Responses carry no
// private notes.
func (s *Store) Awaiting(ctx context.Context, campaignID uint, now time.Time) ([]AwaitingAnswer, error) {
	all, err := s.answerables(ctx, campaignID, now)
	if err != nil {
		return nil, err
	}
	var out []AwaitingAnswer
	for _, a := range all {
		if !a.state.Answered {
			out = append(out, a.AwaitingAnswer)
		}
	}
	return out, nil
}

// AnswerStatus says, for each delivery and action of a campaign that had
// happened by now (as Awaiting counts them), whether and when the company
// answered it. It is keyed by AnswerKey; a record not yet happened has no
// entry. Responses carry no private notes.
func (s *Store) AnswerStatus(ctx context.Context, campaignID uint, now time.Time) (map[string]AnswerState, error) {
	all, err := s.answerables(ctx, campaignID, now)
	if err != nil {
		return nil, err
	}
	out := make(map[string]AnswerState, len(all))
	for _, a := range all {
		out[AnswerKey(a.Kind, a.ID)] = a.state
	}
	return out, nil
}

// answerables loads, in three queries whatever the campaign's size, the
// deliveries and actions that had happened by now and the responses that
// answer them, and works out each one's state, oldest first.
func (s *Store) answerables(ctx context.Context, campaignID uint, now time.Time) ([]answerable, error) {
	db := s.db.WithContext(ctx)
	var deliveries []Delivery
	if err := db.Omit("notes").Where("campaign_id = ? AND status IN ? AND delivered_at IS NOT NULL",
		campaignID, []string{DeliveryDelivered, DeliveryRefused}).Find(&deliveries).Error; err != nil {
		return nil, err
	}
	var actions []Action
	if err := db.Omit("notes").Where("campaign_id = ?", campaignID).Find(&actions).Error; err != nil {
		return nil, err
	}
	var responses []Response
	if err := db.Omit("notes").Where("campaign_id = ? AND (delivery_id IS NOT NULL OR action_id IS NOT NULL)", campaignID).
		Order("responded_at").Order("id").Find(&responses).Error; err != nil {
		return nil, err
	}
	byKey := map[string][]*Response{}
	for i := range responses {
		r := &responses[i]
		if r.DeliveryID != nil {
			k := AnswerKey(AnswersDelivery, *r.DeliveryID)
			byKey[k] = append(byKey[k], r)
		}
		if r.ActionID != nil {
			k := AnswerKey(AnswersAction, *r.ActionID)
			byKey[k] = append(byKey[k], r)
		}
	}

	// Whether a record has happened is decided here, not in SQL: SQLite
	// compares stored times as text, and rows written before times were
	// stored in UTC would compare wrong.
	var out []answerable
	for i := range deliveries {
		d := &deliveries[i]
		if !happenedBy(*d.DeliveredAt, d.DateOnly, now) {
			continue
		}
		out = append(out, answerable{AwaitingAnswer: AwaitingAnswer{
			Kind: AnswersDelivery, ID: d.ID, Delivery: d, Place: joinPlace(d.Venue, d.Place()),
			At: *d.DeliveredAt, DateOnly: d.DateOnly, TimeZone: d.TimeZone,
		}})
	}
	for i := range actions {
		a := &actions[i]
		if !happenedBy(a.OccurredAt, a.DateOnly, now) {
			continue
		}
		out = append(out, answerable{AwaitingAnswer: AwaitingAnswer{
			Kind: AnswersAction, ID: a.ID, Action: a, Place: joinPlace(a.Place, actionPlace(*a)),
			At: a.OccurredAt, DateOnly: a.DateOnly, TimeZone: a.TimeZone,
		}})
	}
	for i := range out {
		a := &out[i]
		for _, r := range byKey[AnswerKey(a.Kind, a.ID)] {
			a.state.LastResponse = r
			if r.Kind == ResponseNoReply {
				a.state.NoReplyLogged = true
				continue
			}
			if !a.state.Answered {
				a.state.Answered, a.state.Answer = true, r
				a.state.DaysToAnswer = wholeDays(a.At, a.DateOnly, r.RespondedAt)
			}
		}
		if !a.state.Answered {
			a.state.DaysWaiting = wholeDays(a.At, a.DateOnly, now)
		}
		a.DaysWaiting, a.NoReplyLogged, a.LastResponse = a.state.DaysWaiting, a.state.NoReplyLogged, a.state.LastResponse
	}
	slices.SortFunc(out, func(x, y answerable) int {
		return cmp.Or(x.At.Compare(y.At), cmp.Compare(answersOrder(x.Kind), answersOrder(y.Kind)), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

func answersOrder(kind string) int {
	if kind == AnswersDelivery {
		return 0
	}
	return 1
}

// utcDay is the date of t in UTC, at midnight: the day a day-only time
// stands for, whatever hour it was stored at (the loader uses noon, forms
// midnight).
func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// happenedBy says whether a time had come by now. A day-only time has come
// once its day has begun.
func happenedBy(at time.Time, dateOnly bool, now time.Time) bool {
	if dateOnly {
		return !utcDay(at).After(utcDay(now))
	}
	return !at.After(now)
}

// wholeDays counts the whole days from at to then: full 24-hour periods for
// a time, calendar days for a day-only time (its hour is unknown, so the
// day after it is one day later). Never negative.
func wholeDays(at time.Time, dateOnly bool, then time.Time) int {
	var d time.Duration
	if dateOnly {
		d = utcDay(then).Sub(utcDay(at))
	} else {
		d = then.Sub(at)
	}
	return max(int(d/(24*time.Hour)), 0)
}

// actionPlace is an action's city, region and (outside the US) country.
func actionPlace(a Action) string {
	country := a.Country
	if strings.EqualFold(country, "US") {
		country = ""
	}
	return joinPlace(a.City, a.Region, country)
}

// joinPlace joins the parts of a place that are given.
func joinPlace(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}
