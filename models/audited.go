package models

import (
	"context"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The campaign's own records (partners, claims, deliveries, actions,
// responses) are written through these three helpers, so every change is
// validated, scoped to its campaign and audited in the same transaction.

// validator is a record that can say what is wrong with it.
type validator interface{ Validate() FieldErrors }

func validate(rec any) error {
	if v, ok := rec.(validator); ok {
		return v.Validate().Err()
	}
	return nil
}

func idOf(rec any) uint {
	return uint(reflect.ValueOf(rec).Elem().FieldByName("ID").Uint())
}

func setCampaign(rec any, campaignID uint) {
	reflect.ValueOf(rec).Elem().FieldByName("CampaignID").SetUint(uint64(campaignID))
}

// createAudited stores a new record of a campaign with its audit entry.
func createAudited[T any](ctx context.Context, s *Store, actor Actor, campaignID uint, kind string, rec *T) error {
	return createAuditedThen(ctx, s, actor, campaignID, kind, rec, nil)
}

// createAuditedThen is createAudited with then, when set, run in the same
// transaction after the record is stored and audited.
func createAuditedThen[T any](ctx context.Context, s *Store, actor Actor, campaignID uint, kind string, rec *T, then func(tx *gorm.DB, rec *T) error) error {
	setCampaign(rec, campaignID)
	if err := validate(rec); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(rec).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, actor, &campaignID, AuditCreate, kind, idOf(rec), diff(nil, rec)); err != nil {
			return err
		}
		if then != nil {
			return then(tx, rec)
		}
		return nil
	})
}

// updateAudited loads a campaign's record, lets change edit a copy,
// validates and saves it, and audits the fields that changed. A record of
// another campaign is ErrNotFound.
func updateAudited[T any](ctx context.Context, s *Store, actor Actor, campaignID uint, kind string, id uint, change func(*T) error) (*T, error) {
	return updateAuditedThen(ctx, s, actor, campaignID, kind, id, change, nil)
}

// updateAuditedThen is updateAudited with then, when set, run in the same
// transaction after the record is saved and audited, with the record as it
// was before and after.
func updateAuditedThen[T any](ctx context.Context, s *Store, actor Actor, campaignID uint, kind string, id uint, change func(*T) error, then func(tx *gorm.DB, before, after *T) error) (*T, error) {
	var after T
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before T
		if err := tx.Where("id = ? AND campaign_id = ?", id, campaignID).Take(&before).Error; err != nil {
			return notFound(err)
		}
		after = before
		if err := change(&after); err != nil {
			return err
		}
		// The key and owner are not the caller's to change.
		reflect.ValueOf(&after).Elem().FieldByName("ID").SetUint(uint64(id))
		setCampaign(&after, campaignID)
		if err := validate(&after); err != nil {
			return err
		}
		if err := tx.Omit(clause.Associations).Save(&after).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, actor, &campaignID, AuditUpdate, kind, id, diff(&before, &after)); err != nil {
			return err
		}
		if then != nil {
			return then(tx, &before, &after)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// deleteAudited removes a campaign's record, keeping its last values in
// the audit log.
func deleteAudited[T any](ctx context.Context, s *Store, actor Actor, campaignID uint, kind string, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before T
		if err := tx.Where("id = ? AND campaign_id = ?", id, campaignID).Take(&before).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Delete(&before).Error; err != nil {
			return err
		}
		return writeAudit(tx, actor, &campaignID, AuditDelete, kind, id, diff(&before, nil))
	})
}

// getScoped loads one record of a campaign, or ErrNotFound.
func getScoped[T any](ctx context.Context, s *Store, campaignID, id uint) (*T, error) {
	var rec T
	if err := s.db.WithContext(ctx).Where("id = ? AND campaign_id = ?", id, campaignID).Take(&rec).Error; err != nil {
		return nil, notFound(err)
	}
	return &rec, nil
}
