package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// AuditSend is the audit action of news mailed to signers.
const AuditSend = "send"

// News is a message from the campaign to its signers, "Tell the signers"
// in the admin: what happened (a delivery, an answer), written by an
// organiser from the record. Each signer's copy is an outbox row.
type News struct {
	ID          uint
	CampaignID  uint
	Subject     string
	Body        string // plain text; paragraphs apart by blank lines
	Quote       string // the company's words, when the news is an answer
	QuoteBy     string
	QuoteSource string
	// The Spanish version, for signers who signed in Spanish; where a
	// field is empty they get the English. QuoteES is a translation of
	// the quote, sent beneath it marked as one: the quote is always sent
	// as said.
	SubjectES  string `gorm:"column:subject_es"`
	BodyES     string `gorm:"column:body_es"`
	QuoteES    string `gorm:"column:quote_es"`
	RecordKind string // "delivery", "response" or ""
	RecordID   uint
	UserID     *uint
	UserEmail  string
	Recipients int64 // the signers it was queued for
	CreatedAt  time.Time
}

func (News) TableName() string { return "mail_news" }

// Validate names what is wrong with news before it is sent.
func (n *News) Validate() FieldErrors {
	fe := FieldErrors{}
	n.Subject = strings.TrimSpace(n.Subject)
	n.Body = strings.TrimSpace(strings.ReplaceAll(n.Body, "\r\n", "\n"))
	n.SubjectES = strings.TrimSpace(n.SubjectES)
	n.BodyES = strings.TrimSpace(strings.ReplaceAll(n.BodyES, "\r\n", "\n"))
	n.QuoteES = strings.TrimSpace(n.QuoteES)
	if n.Subject == "" {
		fe.Add("subject", "enter a subject")
	}
	if strings.IndexFunc(n.Subject, unicode.IsControl) >= 0 {
		fe.Add("subject", "the subject must be one line, without control characters")
	}
	checkLen(fe, "subject", "The subject", n.Subject, 150)
	if strings.IndexFunc(n.SubjectES, unicode.IsControl) >= 0 {
		fe.Add("subject_es", "the Spanish subject must be one line, without control characters")
	}
	checkLen(fe, "subject_es", "The Spanish subject", n.SubjectES, 150)
	if n.Body == "" {
		fe.Add("body", "write the message")
	}
	checkLen(fe, "body", "The message", n.Body, 10000)
	checkLen(fe, "body_es", "The Spanish message", n.BodyES, 10000)
	checkLen(fe, "quote", "The quote", n.Quote, 2000)
	if strings.TrimSpace(n.Quote) == "" && n.QuoteES != "" {
		fe.Add("quote_es", "a translation is sent beneath the quote it translates: give the quote too, or leave this empty")
	}
	checkLen(fe, "quote_es", "The translation of the quote", n.QuoteES, 2000)
	checkLen(fe, "quote_by", "Who said it", n.QuoteBy, 200)
	checkLen(fe, "quote_source", "The quote's source", n.QuoteSource, 500)
	for _, f := range []struct{ field, value string }{{"quote_by", n.QuoteBy}, {"quote_source", n.QuoteSource}} {
		if strings.IndexFunc(f.value, unicode.IsControl) >= 0 {
			fe.Add(f.field, "must be one line, without control characters")
		}
	}
	return fe
}

// NewsRecipients counts the signers news would go to now: confirmed (or
// imported) signers of the campaign who agreed to updates.
func (s *Store) NewsRecipients(ctx context.Context, campaignID uint) (int64, error) {
	a, err := s.NewsAudience(ctx, campaignID)
	return a.Total, err
}

// NewsAudience is who news would go to now: how many signers, and how
// many of them signed in Spanish (and get news's Spanish version where it
// has one).
type NewsAudience struct{ Total, Spanish int64 }

// NewsAudience counts the signers news would go to now (as
// NewsRecipients) and those of them who signed in Spanish, in one query.
func (s *Store) NewsAudience(ctx context.Context, campaignID uint) (NewsAudience, error) {
	var a NewsAudience
	err := s.db.WithContext(ctx).Model(&Signature{}).
		Select("COUNT(*) AS total, COALESCE(SUM(CASE WHEN lang = ? THEN 1 ELSE 0 END), 0) AS spanish", "es").
		Where("campaign_id = ? AND send_updates AND confirmed_at IS NOT NULL", campaignID).Scan(&a).Error
	return a, err
}

// SendNews stores news and queues one message for every signer who agreed
// to updates and counts, with its audit entry (who, what, to how many), in
// one transaction: one INSERT ... SELECT, so 300,000 signers are queued in
// seconds and no signer is queued twice or missed. News with the subject
// and body of the campaign's news of the last NewsRepeatWindow is refused
// with a *NewsRepeated, and nothing is queued.
func (s *Store) SendNews(ctx context.Context, actor Actor, n *News) error {
	if err := n.Validate().Err(); err != nil {
		return err
	}
	n.ID, n.UserID, n.UserEmail = 0, actor.UserID, actor.Email
	return s.db.WithContext(bulkContext(ctx)).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		n.CreatedAt = now
		if err := refuseRepeat(tx, n, now); err != nil {
			return err
		}
		if err := tx.Create(n).Error; err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO mail_outbox (campaign_id, signature_id, news_id, kind, to_email, to_name, to_lang, status, next_at, created_at)
			SELECT campaign_id, id, ?, ?, email, first_name, lang, ?, ?, ? FROM signatures
			WHERE campaign_id = ? AND send_updates AND confirmed_at IS NOT NULL ORDER BY id`,
			n.ID, MailUpdate, MailQueued, now, now, n.CampaignID)
		if res.Error != nil {
			return res.Error
		}
		n.Recipients = res.RowsAffected
		if err := tx.Model(n).Update("recipients", n.Recipients).Error; err != nil {
			return err
		}
		campaignID := n.CampaignID
		return writeAudit(tx, actor, &campaignID, AuditSend, "news", n.ID, map[string]Change{
			"Subject":    {After: n.Subject},
			"Recipients": {After: n.Recipients},
			"Record":     {After: strings.TrimSpace(n.RecordKind + " " + itoaNonZero(n.RecordID))},
		})
	})
}

// NewsRepeatWindow is how long SendNews refuses news with the subject and
// body of news already sent for the campaign: a double-clicked Send, or a
// reload that posts the form again, sends once.
const NewsRepeatWindow = 10 * time.Minute

// NewsRepeated is SendNews's refusal of a repeat; Earlier is the news
// already sent.
type NewsRepeated struct{ Earlier News }

func (e *NewsRepeated) Error() string {
	return fmt.Sprintf("the same news was sent to the signers at %s (news %d); it is not sent again", e.Earlier.CreatedAt.UTC().Format("15:04 MST"), e.Earlier.ID)
}

// refuseRepeat is SendNews's check for a repeat, inside its transaction.
// The check and the send must not interleave with another send's, or two
// clicks a moment apart would both find nothing and both send: SQLite's
// write transactions take turns already (_txlock=immediate), and on
// PostgreSQL the campaign's row is locked for the rest of the transaction.
func refuseRepeat(tx *gorm.DB, n *News, now time.Time) error {
	if isPostgres(tx) {
		if err := tx.Exec("SELECT id FROM campaigns WHERE id = ? FOR UPDATE", n.CampaignID).Error; err != nil {
			return err
		}
	}
	var earlier []News
	if err := tx.Where("campaign_id = ? AND subject = ? AND body = ? AND created_at > ?", n.CampaignID, n.Subject, n.Body, now.Add(-NewsRepeatWindow)).
		Order("id DESC").Limit(1).Find(&earlier).Error; err != nil {
		return err
	}
	if len(earlier) > 0 {
		return &NewsRepeated{Earlier: earlier[0]}
	}
	return nil
}

func itoaNonZero(id uint) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(id), 10)
}

// NewsByID returns one campaign's news, or ErrNotFound.
func (s *Store) NewsByID(ctx context.Context, campaignID, id uint) (*News, error) {
	var n News
	if err := s.db.WithContext(ctx).Where("id = ? AND campaign_id = ?", id, campaignID).Take(&n).Error; err != nil {
		return nil, notFound(err)
	}
	return &n, nil
}

// NewsOf lists a campaign's news, newest first.
func (s *Store) NewsOf(ctx context.Context, campaignID uint, limit int) ([]News, error) {
	var out []News
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// NewsProgress counts one news's messages by outbox status.
func (s *Store) NewsProgress(ctx context.Context, newsID uint) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	if err := s.db.WithContext(ctx).Model(&OutboxMail{}).Select("status, COUNT(*) AS n").
		Where("news_id = ?", newsID).Group("status").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
