package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// What a signer does from a mailed link (see SignerLinks): confirm a
// pending signature, withdraw a signature, stop updates. Each moves the
// kept counts in the same transaction as the row.

// ErrAlreadyConfirmed is returned when a confirmation link is followed
// again: the signature counts already.
var ErrAlreadyConfirmed = errors.New("this signature is already confirmed")

// PendingExpiry is how long a pending signature waits for its signer,
// counted from the latest link it was sent (NoticedAt, or when it was
// made).
const PendingExpiry = 7 * 24 * time.Hour

// SignatureForLink returns what a signer's link page may show of the
// signature: its campaign, first name and state. ErrNotFound when it is
// gone (withdrawn, expired).
func (s *Store) SignatureForLink(ctx context.Context, campaignID, id uint) (*Signature, error) {
	var sig Signature
	err := s.db.WithContext(ctx).Select("id, campaign_id, first_name, send_updates, confirmed_at, noticed_at").
		Where("id = ? AND campaign_id = ?", id, campaignID).Take(&sig).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &sig, nil
}

// ConfirmSignature counts a pending signature: ErrNotFound when it is gone
// (expired or withdrawn), ErrAlreadyConfirmed when it counts already.
func (s *Store) ConfirmSignature(ctx context.Context, campaignID, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signature
		if err := tx.Select("id, campaign_id, city, region, signed_at, confirmed_at").
			Where("id = ? AND campaign_id = ?", id, campaignID).Take(&sig).Error; err != nil {
			return notFound(err)
		}
		if sig.Confirmed() {
			return ErrAlreadyConfirmed
		}
		now := time.Now().UTC()
		// The condition makes two confirmations at once count once: the
		// second changes no row.
		res := tx.Model(&Signature{}).Where("id = ? AND confirmed_at IS NULL", id).Update("confirmed_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyConfirmed
		}
		sets, err := sourceSets(tx, []uint{id})
		if err != nil {
			return err
		}
		t, st := newTally(), newSourceTally()
		t.add(&sig)
		t.addPending(campaignID, -1)
		st.person(campaignID, sets[id], 1)
		if err := t.write(tx); err != nil { // the counter before the source figures, the order Recount locks them in
			return err
		}
		return st.write(tx)
	})
}

// WithdrawSignature deletes a signature and its signer's data: the row,
// its unsent mail, and the address on its sent mail. The kept counts move
// with it. The same address may sign again afterwards. ErrNotFound when it
// is gone already.
func (s *Store) WithdrawSignature(ctx context.Context, campaignID, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signature
		if err := tx.Select("id, campaign_id, city, region, signed_at, confirmed_at").
			Where("id = ? AND campaign_id = ?", id, campaignID).Take(&sig).Error; err != nil {
			return notFound(err)
		}
		sets, err := sourceSets(tx, []uint{id})
		if err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&Signature{}) // its source links go with it (ON DELETE CASCADE)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound // withdrawn by a request a moment earlier
		}
		if err := forgetSignerMail(tx, []uint{id}); err != nil {
			return err
		}
		t, st := newTally(), newSourceTally()
		if sig.Confirmed() {
			t.remove(&sig)
			st.person(campaignID, sets[id], -1)
		} else {
			t.addPending(campaignID, -1)
		}
		if err := t.write(tx); err != nil { // the counter before the source figures, the order Recount locks them in
			return err
		}
		return st.write(tx)
	})
}

// forgetSignerMail drops the unsent mail of signatures and blanks the
// address on the rest, inside tx.
func forgetSignerMail(tx *gorm.DB, ids []uint) error {
	if err := tx.Where("signature_id IN ? AND status = ?", ids, MailQueued).Delete(&OutboxMail{}).Error; err != nil {
		return err
	}
	return tx.Model(&OutboxMail{}).Where("signature_id IN ?", ids).
		Updates(map[string]any{"to_email": "", "to_name": "", "purged": true, "signature_id": nil}).Error
}

// StopUpdates turns updates off for a signature (the one-click
// unsubscribe of RFC 8058) and drops the updates still queued for it.
// Stopping twice is no error; ErrNotFound when the signature is gone.
func (s *Store) StopUpdates(ctx context.Context, campaignID, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Signature{}).Where("id = ? AND campaign_id = ?", id, campaignID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := tx.Model(&Signature{}).Where("id = ?", id).Update("send_updates", false).Error; err != nil {
			return err
		}
		return tx.Where("signature_id = ? AND kind = ? AND status = ?", id, MailUpdate, MailQueued).Delete(&OutboxMail{}).Error
	})
}

// ExpirePending deletes the pending signatures whose latest link is older
// than PendingExpiry, with their mail, moving the pending counts, in
// batches of a thousand; it returns how many it deleted.
func (s *Store) ExpirePending(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-PendingExpiry).UTC()
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int64
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var stale []Signature
			if err := tx.Select("id, campaign_id").
				Where("confirmed_at IS NULL AND (noticed_at < ? OR (noticed_at IS NULL AND created_at < ?))", cutoff, cutoff).
				Limit(1000).Find(&stale).Error; err != nil {
				return err
			}
			if len(stale) == 0 {
				return nil
			}
			ids := make([]uint, len(stale))
			t := newTally()
			for i, sig := range stale {
				ids[i] = sig.ID
				t.addPending(sig.CampaignID, -1)
			}
			// The condition keeps a signature confirmed meanwhile.
			res := tx.Where("id IN ? AND confirmed_at IS NULL", ids).Delete(&Signature{})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != int64(len(ids)) {
				return errExpiryRace
			}
			if err := forgetSignerMail(tx, ids); err != nil {
				return err
			}
			n = res.RowsAffected
			return t.write(tx)
		})
		if errors.Is(err, errExpiryRace) {
			continue // a signature of the batch was confirmed as it expired: take the batch again
		}
		if err != nil {
			return total, err
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}

var errExpiryRace = errors.New("a pending signature changed while it expired")
