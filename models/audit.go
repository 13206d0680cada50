package models

import (
	"context"
	"encoding/json"
	"reflect"
	"time"

	"gorm.io/gorm"
)

// AuditEntry records one change by an organiser: who, when, which record,
// and the before and after of the fields that changed (JSON in Changes).
type AuditEntry struct {
	ID         uint
	CreatedAt  time.Time
	UserID     *uint
	UserEmail  string
	CampaignID *uint
	Action     string // create, update, delete
	RecordType string
	RecordID   *uint
	Changes    string
}

// Change is one field's value before and after a change; Before is nil for
// a new record and After for a deleted one.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// ChangeSet decodes the entry's changes, keyed by field name.
func (a AuditEntry) ChangeSet() map[string]Change {
	out := map[string]Change{}
	_ = json.Unmarshal([]byte(a.Changes), &out)
	return out
}

// Actor is who makes a change: a signed-in user, or the command line.
type Actor struct {
	UserID *uint
	Email  string
}

// CommandLine is the actor of changes made with the campaigntrack command.
var CommandLine = Actor{Email: "(command line)"}

// UserActor is the actor for a signed-in user.
func UserActor(u *User) Actor {
	id := u.ID
	return Actor{UserID: &id, Email: u.Email}
}

// Audit actions.
const (
	AuditCreate = "create"
	AuditUpdate = "update"
	AuditDelete = "delete"
	AuditExport = "export" // personal data left the tracker
)

// fields never written to the audit log: keys and bookkeeping, and secrets.
var unaudited = map[string]bool{"ID": true, "CreatedAt": true, "UpdatedAt": true, "PasswordHash": true, "CampaignID": true}

// diff lists the fields whose values differ between before and after,
// which are pointers to the same struct type (either may be nil). Nested
// structs that are relations (pointers to structs, slices of structs) are
// skipped.
func diff(before, after any) map[string]Change {
	out := map[string]Change{}
	var bv, av reflect.Value
	var t reflect.Type
	if before != nil && !reflect.ValueOf(before).IsNil() {
		bv = reflect.ValueOf(before).Elem()
		t = bv.Type()
	}
	if after != nil && !reflect.ValueOf(after).IsNil() {
		av = reflect.ValueOf(after).Elem()
		t = av.Type()
	}
	if t == nil {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || unaudited[f.Name] || isRelation(f.Type) {
			continue
		}
		var b, a any
		if bv.IsValid() {
			b = plain(bv.Field(i))
		}
		if av.IsValid() {
			a = plain(av.Field(i))
		}
		if bv.IsValid() && av.IsValid() && reflect.DeepEqual(b, a) {
			continue
		}
		if !bv.IsValid() && isZero(a) || !av.IsValid() && isZero(b) {
			continue // an empty field of a new or deleted record says nothing
		}
		out[f.Name] = Change{Before: b, After: a}
	}
	return out
}

func isRelation(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != reflect.TypeOf(time.Time{})
}

// plain dereferences pointers so the log holds values, not addresses.
func plain(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	// A time read back from PostgreSQL carries its own location value: the
	// same instant must compare equal to the one a form or file gave.
	if t, ok := v.Interface().(time.Time); ok {
		return t.UTC().Round(0)
	}
	// An empty list read back is the same as none.
	if v.Kind() == reflect.Slice && v.Len() == 0 {
		return nil
	}
	return v.Interface()
}

func isZero(v any) bool {
	return v == nil || reflect.ValueOf(v).IsZero()
}

// writeAudit adds an entry inside tx; an update that changed nothing
// writes nothing.
func writeAudit(tx *gorm.DB, actor Actor, campaignID *uint, action, recordType string, recordID uint, changes map[string]Change) error {
	if action == AuditUpdate && len(changes) == 0 {
		return nil
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	id := recordID
	return tx.Create(&AuditEntry{
		UserID: actor.UserID, UserEmail: actor.Email, CampaignID: campaignID,
		Action: action, RecordType: recordType, RecordID: &id, Changes: string(b),
	}).Error
}

// AuditForRecord lists the changes to one record, newest first.
func (s *Store) AuditForRecord(ctx context.Context, recordType string, recordID uint) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.WithContext(ctx).Where("record_type = ? AND record_id = ?", recordType, recordID).
		Order("created_at DESC").Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// AuditForCampaign lists the latest changes to a campaign's records,
// newest first.
func (s *Store) AuditForCampaign(ctx context.Context, campaignID uint, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("created_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// AuditLatest lists the latest changes of all kinds, newest first.
func (s *Store) AuditLatest(ctx context.Context, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.WithContext(ctx).Order("created_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// RecordExport notes in the audit log that actor exported rows records of
// kind (such as "signatures") of a campaign.
func (s *Store) RecordExport(ctx context.Context, actor Actor, campaignID uint, kind string, rows int64) error {
	return writeAudit(s.db.WithContext(ctx), actor, &campaignID, AuditExport, kind, campaignID,
		map[string]Change{"Rows": {After: rows}})
}
