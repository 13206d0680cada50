package models

import "time"

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
