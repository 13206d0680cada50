package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Kinds of mail to a signer. What each says is package mail's; the outbox
// keeps which one is owed to whom.
const (
	MailConfirm       = "confirm"        // a new signature's confirmation link
	MailConfirmAgain  = "confirm_again"  // signed again while pending: a fresh link
	MailAlreadySigned = "already_signed" // signed again when already counted
	MailSigned        = "signed"         // a receipt, when no confirmation was asked
	MailUpdate        = "update"         // news from the campaign (mail_news)
)

// Outbox statuses. A message is queued until the SMTP server accepts it
// (sent) or refuses it for good (failed); with no SMTP server set up it is
// kept, shown in the admin and never sent.
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed"
	MailKept   = "kept"
)

// MailStatuses lists the outbox statuses in the order the Mail page shows.
var MailStatuses = []string{MailQueued, MailSent, MailFailed, MailKept}

// OutboxMail is one message in the outbox. Its text is not stored: it is
// made from the campaign, the signature and the news when it is sent or
// shown, so the outbox holds no copy of a signer's data beyond the address
// and first name it goes to, and those are blanked (purged) once the
// message is done with, or at once when the signer withdraws.
type OutboxMail struct {
	ID           uint
	CampaignID   uint
	SignatureID  *uint
	NewsID       *uint
	Kind         string
	ToEmail      string
	ToName       string
	ToLang       string // the signer's language, which the message is written in (locale codes; empty: English)
	Status       string
	Attempts     int
	NextAt       time.Time
	ClaimedUntil *time.Time
	LastError    string
	CreatedAt    time.Time
	SentAt       *time.Time
	Purged       bool
}

func (OutboxMail) TableName() string { return "mail_outbox" }

// MailRetryFor is how long a message that meets only temporary failures is
// tried before it is marked failed.
const MailRetryFor = 24 * time.Hour

// RetryDelay is the wait before a message's next try after attempts
// temporary failures: a minute, doubling, at most two hours.
func RetryDelay(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 2*time.Hour; i++ {
		d *= 2
	}
	return min(d, 2*time.Hour)
}

// queueMail writes messages in the same transaction as what caused
// it (see AddSignatures).
func queueMail(tx *gorm.DB, rows []OutboxMail) error {
	if len(rows) == 0 {
		return nil
	}
	const perStatement = 500 // 10 parameters a row
	for start := 0; start < len(rows); start += perStatement {
		chunk := rows[start:min(start+perStatement, len(rows))]
		var b strings.Builder
		b.WriteString("INSERT INTO mail_outbox (campaign_id, signature_id, news_id, kind, to_email, to_name, to_lang, status, next_at, created_at) VALUES ")
		args := make([]any, 0, len(chunk)*10)
		for i, r := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?,?)")
			args = append(args, r.CampaignID, r.SignatureID, r.NewsID, r.Kind, r.ToEmail, r.ToName, r.ToLang, MailQueued, r.CreatedAt, r.CreatedAt)
		}
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("queue mail: %w", err)
		}
	}
	return nil
}

// signerMail is the outbox row for a message to the signer of sig.
func signerMail(sig *Signature, kind string, now time.Time) OutboxMail {
	id := sig.ID
	return OutboxMail{CampaignID: sig.CampaignID, SignatureID: &id, Kind: kind, ToEmail: sig.Email, ToName: sig.FirstName, ToLang: sig.Lang, CreatedAt: now}
}

// ClaimMail takes up to n queued messages that are due, for lease: no
// other sender takes them until the lease ends, so a sender that dies
// mid-send leaves its messages to the next. On PostgreSQL the rows are
// picked with FOR UPDATE SKIP LOCKED, so instances sending at once take
// different messages without waiting on each other; on SQLite there is
// one writer, and the one statement claims atomically.
//
// Oldest first by id, read along the (status, id) index: the walk stops at
// the first n due rows. Ordering by next_at instead sorted every queued
// row on each claim, and with an update to 300,000 signers queued the
// sender managed 130 messages a second.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, n int, lease time.Duration) ([]OutboxMail, error) {
	lock := ""
	if isPostgres(s.db) {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []OutboxMail
	err := s.db.WithContext(ctx).Raw(`UPDATE mail_outbox SET claimed_until = ? WHERE id IN (
		SELECT id FROM mail_outbox WHERE status = 'queued' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
		ORDER BY id LIMIT ?`+lock+`)
		RETURNING id, campaign_id, signature_id, news_id, kind, to_email, to_name, to_lang, status, attempts, next_at, claimed_until, last_error, created_at`,
		now.Add(lease).UTC(), now.UTC(), now.UTC(), n).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	// RETURNING gives rows in no promised order; send oldest first.
	slices.SortFunc(out, func(a, b OutboxMail) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// MailDue reports whether a queued message is due and unclaimed: a read,
// so an idle sender's poll takes no write lock.
func (s *Store) MailDue(ctx context.Context, now time.Time) (bool, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Model(&OutboxMail{}).
		Where("status = 'queued' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", now.UTC(), now.UTC()).
		Order("id").Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, err
}

// ReleaseMail gives claimed messages back to the outbox unsent.
func (s *Store) ReleaseMail(ctx context.Context, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET claimed_until = NULL WHERE id IN ? AND status = 'queued'", ids).Error
}

// RetryMailNow makes every queued message due now, for an organiser who
// has fixed what kept them waiting (the SMTP server was down), with its
// audit entry; it returns how many.
func (s *Store) RetryMailNow(ctx context.Context, actor Actor, now time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE mail_outbox SET next_at = ? WHERE status = 'queued' AND next_at > ?", now.UTC(), now.UTC())
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return writeAudit(tx, actor, nil, AuditUpdate, "mail_outbox", 0, map[string]Change{"RetriedNow": {After: n}})
	})
	return n, err
}

// ReleaseMailClaims ends every claim: for a sender that starts alone on
// its database, whose claims can only be a dead sender's.
func (s *Store) ReleaseMailClaims(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET claimed_until = NULL WHERE status = 'queued' AND claimed_until IS NOT NULL").Error
}

// MarkMailSent records that the SMTP server accepted a message.
func (s *Store) MarkMailSent(ctx context.Context, id uint, now time.Time) error {
	return s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = '' WHERE id = ?", now.UTC(), id).Error
}

// MarkMailKept records messages kept in the outbox, unsent, because no
// SMTP server is set up.
func (s *Store) MarkMailKept(ctx context.Context, ids []uint, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET status = 'kept', sent_at = ?, claimed_until = NULL WHERE id IN ? AND status = 'queued'", now.UTC(), ids).Error
}

// MarkMailRetry records a temporary failure of messages: each is tried
// again at next, or marked failed once it has been tried for
// MailRetryFor.
func (s *Store) MarkMailRetry(ctx context.Context, ids []uint, next time.Time, reason string) error {
	if len(ids) == 0 {
		return nil
	}
	reason = Clip(strings.Join(strings.Fields(reason), " "), 500)
	return s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET attempts = attempts + 1, claimed_until = NULL, last_error = ?, next_at = ?,
		status = CASE WHEN created_at < ? THEN 'failed' ELSE status END
		WHERE id IN ? AND status = 'queued'`, reason, next.UTC(), next.Add(-MailRetryFor).UTC(), ids).Error
}

// MarkMailFailed records a permanent failure: the server refused the
// message for good.
func (s *Store) MarkMailFailed(ctx context.Context, id uint, reason string) error {
	return s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, claimed_until = NULL, last_error = ? WHERE id = ?",
		Clip(strings.Join(strings.Fields(reason), " "), 500), id).Error
}

// PurgeMail blanks the address and name of every message done with (sent,
// failed or kept) since before cutoff, and returns how many it blanked:
// the outbox keeps that a message went, not to whom. It works in batches
// of 10,000, each its own transaction: at once, the first purge after an
// update to 300,000 signers held SQLite's write lock for 0.44 s, and
// signatures waited behind it.
func (s *Store) PurgeMail(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		res := s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET to_email = '', to_name = '', purged = TRUE WHERE id IN (
			SELECT id FROM mail_outbox WHERE status <> 'queued' AND NOT purged AND COALESCE(sent_at, next_at) < ? LIMIT 10000)`, cutoff.UTC())
		if res.Error != nil {
			return total, res.Error
		}
		total += res.RowsAffected
		if res.RowsAffected < 10000 {
			return total, nil
		}
	}
}

// MailStats is what the Mail page shows of the outbox.
type MailStats struct {
	ByStatus     map[string]int64
	OldestQueued *time.Time
	Errors       []MailError // the latest distinct errors of messages not sent
}

// MailError is one error the outbox met, with how many messages it is on.
type MailError struct {
	Error    string
	Messages int64
	Last     time.Time
}

// MailStats counts the outbox by status, with its latest errors.
func (s *Store) MailStats(ctx context.Context) (MailStats, error) {
	out := MailStats{ByStatus: map[string]int64{}}
	db := s.db.WithContext(ctx)
	var rows []struct {
		Status string
		N      int64
	}
	if err := db.Model(&OutboxMail{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return out, err
	}
	for _, r := range rows {
		out.ByStatus[r.Status] = r.N
	}
	var oldest []time.Time
	if err := db.Model(&OutboxMail{}).Where("status = 'queued'").Order("next_at").Limit(1).Pluck("created_at", &oldest).Error; err != nil {
		return out, err
	}
	if len(oldest) == 1 {
		out.OldestQueued = &oldest[0]
	}
	// SQLite gives MAX() of a time column as text, which does not scan
	// into a time.Time: each error's latest message is found by its id,
	// and that message's time read with a second query.
	var groups []struct {
		Error    string
		Messages int64
		LastID   uint
	}
	if err := db.Model(&OutboxMail{}).Select("last_error AS error, COUNT(*) AS messages, MAX(id) AS last_id").
		Where("status IN ('queued', 'failed') AND last_error <> ''").Group("last_error").Order("last_id DESC").Limit(10).Scan(&groups).Error; err != nil {
		return out, err
	}
	if len(groups) == 0 {
		return out, nil
	}
	ids := make([]uint, len(groups))
	for i, g := range groups {
		ids[i] = g.LastID
	}
	var latest []OutboxMail
	if err := db.Select("id, next_at").Where("id IN ?", ids).Find(&latest).Error; err != nil {
		return out, err
	}
	at := make(map[uint]time.Time, len(latest))
	for _, m := range latest {
		at[m.ID] = m.NextAt
	}
	for _, g := range groups {
		out.Errors = append(out.Errors, MailError{Error: g.Error, Messages: g.Messages, Last: at[g.LastID]})
	}
	return out, nil
}

// OutboxPage lists messages of a status, newest first, before the id
// before (0: from the newest).
func (s *Store) OutboxPage(ctx context.Context, status string, before uint, limit int) ([]OutboxMail, error) {
	q := s.db.WithContext(ctx).Where("status = ?", status)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []OutboxMail
	err := q.Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// OutboxMailByID returns one message, or ErrNotFound.
func (s *Store) OutboxMailByID(ctx context.Context, id uint) (*OutboxMail, error) {
	var m OutboxMail
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}
