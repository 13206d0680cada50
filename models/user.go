package models

import "time"

// Roles of organiser accounts.
const (
	RoleAdmin     = "admin"
	RoleOrganiser = "organiser"
	RoleViewer    = "viewer"
)

// User is an organiser account. Sign-in and roles are filled in by the
// accounts work; the table exists from the first schema version so the
// audit log can point at it.
type User struct {
	ID           uint
	Email        string
	PasswordHash string
	Role         string
	Disabled     bool
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
