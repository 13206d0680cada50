package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Response channels and kinds that carry a rule of their own.
const (
	// ResponseNoReply is both a channel and a kind: the target was asked
	// (or petitioned) and said nothing. Silence is put on the record as a
	// response of its own, so a page can say "no reply" with its source
	// rather than show nothing.
	ResponseNoReply = "no_reply"
	// ResponseNoComment is a kind: the target answered, declining to
	// comment. Unlike silence it has words, so it needs a quote or a
	// summary.
	ResponseNoComment = "no_comment"
)

// Channels a target answers through; "no_reply" puts silence on the record.
var ResponseChannels = []string{"press_statement", "email", "meeting", "on_stage", "social_media", ResponseNoReply}

// Kinds of answer.
var ResponseKinds = []string{"statement", "refusal", "commitment", "policy_change", ResponseNoComment, ResponseNoReply}

// Response is what the target said back (or that it said nothing), tied to
// the delivery or action it answers, or to the campaign as a whole when
// both are empty.
type Response struct {
	ID          uint
	CampaignID  uint
	RespondedAt time.Time
	DateOnly    bool   // known to the day only
	TimeZone    string // see LoadZone
	Speaker     string // who answered; for a no reply, who was asked (may be empty)
	SpeakerRole string
	Channel     string // one of ResponseChannels
	Kind        string // one of ResponseKinds
	Quote       string
	Summary     string
	SummaryES   string `gorm:"column:summary_es"` // the summary in Spanish; empty: none
	QuoteES     string `gorm:"column:quote_es"`   // a translation of the quote into Spanish, shown as one; the quote itself is never translated
	Sources     Sources
	DeliveryID  *uint
	ActionID    *uint
	Notes       string // private: organisers only
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Delivery *Delivery `gorm:"foreignKey:DeliveryID"`
	Action   *Action   `gorm:"foreignKey:ActionID"`
}

// IsNoReply says whether the response records silence.
func (r Response) IsNoReply() bool { return r.Kind == ResponseNoReply }

// Validate names each field of a response that is wrong. It cannot see the
// database: that what the response answers belongs to the same campaign is
// checked by CreateResponse and UpdateResponse.
//
// The rules for words: silence (no_reply) has none, so its quote must be
// empty and what happened (who was asked, by whom) goes in the summary; a
// "no comment" has words, so it needs its quote or, when the source only
// paraphrases it, a summary; every other kind needs the quote, because a
// response shown without the company's own words is the tracker's reading
// of it, not the company's.
func (r *Response) Validate() FieldErrors {
	fe := FieldErrors{}
	channelOK := slices.Contains(ResponseChannels, r.Channel)
	kindOK := slices.Contains(ResponseKinds, r.Kind)
	if !channelOK {
		fe.Add("channel", "the channel must be one of "+strings.Join(ResponseChannels, ", "))
	}
	if !kindOK {
		fe.Add("kind", "the kind of response must be one of "+strings.Join(ResponseKinds, ", "))
	}
	noReply := r.Kind == ResponseNoReply
	switch {
	case channelOK && kindOK && r.Channel == ResponseNoReply && !noReply:
		fe.Add("kind", "a response through the no_reply channel records silence: its kind must be no_reply too")
	case channelOK && kindOK && noReply && r.Channel != ResponseNoReply:
		fe.Add("channel", "a no reply came through no channel: choose no_reply as the channel too")
	}
	quote := strings.TrimSpace(r.Quote)
	switch {
	case noReply && quote != "":
		fe.Add("quote", "a no reply has no words to quote: say in the summary who was asked and how")
	case r.Kind == ResponseNoComment && quote == "" && strings.TrimSpace(r.Summary) == "":
		fe.Add("quote", "a no comment has words: quote them, or say in the summary how the comment was declined")
	case kindOK && !noReply && r.Kind != ResponseNoComment && quote == "":
		fe.Add("quote", "give the words of the response as the source reports them; only a no reply has none")
	}
	checkLen(fe, "quote", "The quote", r.Quote, 5000)
	if quote == "" && strings.TrimSpace(r.QuoteES) != "" {
		fe.Add("quote_es", "a translation is shown beside the quote it translates: give the quote too, or leave this empty")
	}
	checkLen(fe, "quote_es", "The translation of the quote", r.QuoteES, 5000)
	checkLen(fe, "summary", "The summary", r.Summary, 2000)
	checkLen(fe, "summary_es", "The Spanish summary", r.SummaryES, 2000)
	if !noReply && strings.TrimSpace(r.Speaker) == "" {
		fe.Add("speaker", "say who answered: a person, or the company when the source names no one")
	}
	checkLen(fe, "speaker", "The speaker", r.Speaker, 200)
	checkLen(fe, "speaker_role", "The speaker's role", r.SpeakerRole, 200)
	if r.RespondedAt.IsZero() {
		fe.Add("responded_at", "give the date (and if known the time) of the response")
	}
	checkWhen(fe, "responded_at", &r.RespondedAt)
	if _, err := LoadZone(r.TimeZone); err != nil {
		fe.Add("time_zone", err.Error())
	}
	if r.DeliveryID != nil && r.ActionID != nil {
		fe.Add("answers", "a response answers one delivery or one action, not both (or neither, when it answers the campaign)")
	}
	validateSources(fe, "sources", r.Sources)
	checkLen(fe, "notes", "The notes", r.Notes, 10000)
	return fe
}

// Normalise tidies what a form or a file gave: trimmed text, the time in
// UTC, an id of 0 read as "answers nothing", and a no reply recorded on
// both channel and kind when a form set only one of them.
func (r *Response) Normalise() {
	for _, p := range []*string{&r.Speaker, &r.SpeakerRole, &r.Channel, &r.Kind, &r.Quote, &r.Summary, &r.QuoteES, &r.SummaryES, &r.Notes, &r.TimeZone} {
		*p = strings.TrimSpace(*p)
	}
	r.RespondedAt = r.RespondedAt.UTC()
	if r.DeliveryID != nil && *r.DeliveryID == 0 {
		r.DeliveryID = nil
	}
	if r.ActionID != nil && *r.ActionID == 0 {
		r.ActionID = nil
	}
	switch {
	case r.Kind == ResponseNoReply && r.Channel == "":
		r.Channel = ResponseNoReply
	case r.Channel == ResponseNoReply && r.Kind == "":
		r.Kind = ResponseNoReply
	}
}

// ResponseOrder is the order ResponsesFor lists responses in.
type ResponseOrder int

const (
	// ResponsesOldestFirst is the order of the public responses page: the
	// story as it unfolded.
	ResponsesOldestFirst ResponseOrder = iota
	// ResponsesNewestFirst is the order of the organisers' list.
	ResponsesNewestFirst
)

// ResponsesFor lists all of a campaign's responses by date in the given
// order, each with the delivery or action it answers.
func (s *Store) ResponsesFor(ctx context.Context, campaignID uint, order ResponseOrder) ([]Response, error) {
	var out []Response
	q := s.responsesWithAnswered(ctx, campaignID).Where("campaign_id = ?", campaignID)
	if order == ResponsesNewestFirst {
		q = q.Order("responded_at DESC").Order("id DESC")
	} else {
		q = q.Order("responded_at").Order("id")
	}
	err := q.Find(&out).Error
	return out, err
}

// LatestResponses returns a campaign's most recent responses, newest
// first, with the delivery or action each answers.
func (s *Store) LatestResponses(ctx context.Context, campaignID uint, limit int) ([]Response, error) {
	var out []Response
	err := s.responsesWithAnswered(ctx, campaignID).
		Where("campaign_id = ?", campaignID).
		Order("responded_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// responsesWithAnswered preloads what responses answer, only from the
// campaign itself: the Store refuses links across campaigns, and this keeps
// a row written around it (by hand, or before the check existed) from
// showing another campaign's record.
func (s *Store) responsesWithAnswered(ctx context.Context, campaignID uint) *gorm.DB {
	return s.db.WithContext(ctx).
		Preload("Delivery", "campaign_id = ?", campaignID).
		Preload("Action", "campaign_id = ?", campaignID)
}

// Response returns one response of a campaign with what it answers, or
// ErrNotFound.
func (s *Store) Response(ctx context.Context, campaignID, id uint) (*Response, error) {
	var r Response
	if err := s.responsesWithAnswered(ctx, campaignID).
		Where("id = ? AND campaign_id = ?", id, campaignID).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// CreateResponse logs a response, audited. A response that answers a
// delivery or an action that is not the campaign's own (another campaign's,
// or none at all) is refused with a FieldErrors on "answers", checked in the
// transaction that stores it.
func (s *Store) CreateResponse(ctx context.Context, actor Actor, campaignID uint, r *Response) error {
	r.Normalise()
	// The record names what it answers by id; GORM would otherwise also
	// write a Delivery or Action set on it, outside the audit.
	r.Delivery, r.Action = nil, nil
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.validateResponse(ctx, campaignID, r); err != nil {
			return err
		}
		return createAudited(ctx, tx, actor, campaignID, "response", r)
	})
}

// UpdateResponse edits a response, audited field by field; what it answers
// is checked as in CreateResponse. The response returned does not carry
// the delivery or action it answers: load it with Response for that.
func (s *Store) UpdateResponse(ctx context.Context, actor Actor, campaignID, id uint, change func(*Response)) (*Response, error) {
	var out *Response
	err := s.inTx(ctx, func(tx *Store) error {
		var err error
		out, err = updateAudited(ctx, tx, actor, campaignID, "response", id, func(r *Response) error {
			change(r)
			r.Normalise()
			r.Delivery, r.Action = nil, nil
			return tx.validateResponse(ctx, campaignID, r)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validateResponse is Validate and the check of what r answers, which
// needs the database: every problem at once, so a form shows them
// together. It runs inside the transaction that writes r, so what r
// answers cannot be another campaign's record when it is stored.
func (s *Store) validateResponse(ctx context.Context, campaignID uint, r *Response) error {
	fe := r.Validate()
	if _, both := fe["answers"]; !both {
		answers, err := s.checkAnswers(ctx, campaignID, r)
		if err != nil {
			return err
		}
		for k, v := range answers {
			fe.Add(k, v)
		}
	}
	return fe.Err()
}

// DeleteResponse removes a response, keeping its last values in the audit
// log.
func (s *Store) DeleteResponse(ctx context.Context, actor Actor, campaignID, id uint) error {
	return deleteAudited[Response](ctx, s, actor, campaignID, "response", id)
}
