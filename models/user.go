package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Roles of organiser accounts.
const (
	RoleAdmin     = "admin"     // manages users and everything else
	RoleOrganiser = "organiser" // edits campaign records, exports signer data
	RoleViewer    = "viewer"    // reads the admin area; changes and exports nothing
)

// Roles lists every role, most powerful first.
var Roles = []string{RoleAdmin, RoleOrganiser, RoleViewer}

// User is an organiser account.
type User struct {
	ID           uint
	Email        string
	PasswordHash string
	Role         string
	Disabled     bool
	LastLoginAt  *time.Time
	// SessionsNotBefore ends every session begun before it: set when the
	// password changes or the account is disabled.
	SessionsNotBefore *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// CanEdit reports whether the user may change campaign records.
func (u *User) CanEdit() bool { return u.Role == RoleAdmin || u.Role == RoleOrganiser }

// CanExportPersonalData reports whether the user may see or export
// signers' personal data.
func (u *User) CanExportPersonalData() bool { return u.CanEdit() }

// IsAdmin reports whether the user manages users.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// ErrEmailTaken is returned when an account with the email exists.
var ErrEmailTaken = errors.New("an account with this email already exists")

// NormaliseEmail trims and lower-cases an email address.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail explains why s is not a usable email address, or returns "".
func CheckEmail(s string) string {
	if s == "" {
		return "enter an email address"
	}
	if len(s) > 254 {
		return "the email address is too long"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "this does not look like an email address (name@example.org)"
	}
	return ""
}

// CreateUser adds an account. The password is checked for length and
// hashed here; the change is audited.
func (s *Store) CreateUser(ctx context.Context, actor Actor, email, role, password string) (*User, error) {
	email = NormaliseEmail(email)
	fe := FieldErrors{}
	if msg := CheckEmail(email); msg != "" {
		fe.Add("email", msg)
	}
	if !slices.Contains(Roles, role) {
		fe.Add("role", fmt.Sprintf("%q is not a role: use admin, organiser or viewer", role))
	}
	if err := CheckPasswordStrength(password); err != nil {
		fe.Add("password", err.Error())
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: email, Role: role, PasswordHash: hash}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrEmailTaken
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrEmailTaken
			}
			return err
		}
		return writeAudit(tx, actor, nil, AuditCreate, "user", u.ID, diff(nil, u))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UserByEmail finds an account by email, or returns ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("email = ?", NormaliseEmail(email)).Take(&u).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// UserByID finds an account, or returns ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id uint) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Take(&u, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Users lists every account by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.WithContext(ctx).Order("email").Find(&out).Error
	return out, err
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// Authenticate checks an email and password. Every failure (unknown email,
// wrong password, disabled account) is the same ErrBadCredentials and
// takes as long, so the answer tells nothing about which accounts exist.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		if _, err := verifyPassword(ctx, dummyHash(), password); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := verifyPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u.Disabled {
		return nil, ErrBadCredentials
	}
	now := time.Now().UTC()
	if err := s.db.WithContext(ctx).Model(u).UpdateColumn("last_login_at", now).Error; err != nil {
		return nil, err
	}
	u.LastLoginAt = &now
	return u, nil
}

// ErrBadCredentials is the one answer to every failed sign-in.
var ErrBadCredentials = errors.New("the email or password is not right, or the account is disabled")

// updateUser applies change to an account in a transaction with its audit
// entry.
func (s *Store) updateUser(ctx context.Context, actor Actor, id uint, change func(tx *gorm.DB, u *User) error) (*User, error) {
	var after User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before User
		if err := tx.Take(&before, id).Error; err != nil {
			return notFound(err)
		}
		after = before
		if err := change(tx, &after); err != nil {
			return err
		}
		if err := tx.Save(&after).Error; err != nil {
			return err
		}
		changes := diff(&before, &after)
		if before.PasswordHash != after.PasswordHash {
			changes["Password"] = Change{Before: "(hidden)", After: "(changed)"}
		}
		return writeAudit(tx, actor, nil, AuditUpdate, "user", id, changes)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// SetPassword changes an account's password and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, actor Actor, id uint, password string) error {
	if err := CheckPasswordStrength(password); err != nil {
		return FieldErrors{"password": err.Error()}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.updateUser(ctx, actor, id, func(_ *gorm.DB, u *User) error {
		now := time.Now().UTC()
		u.PasswordHash, u.SessionsNotBefore = hash, &now
		return nil
	})
	return err
}

// SetDisabled disables or re-enables an account; disabling ends its
// sessions. The last enabled admin cannot be disabled.
func (s *Store) SetDisabled(ctx context.Context, actor Actor, id uint, disabled bool) error {
	_, err := s.updateUser(ctx, actor, id, func(tx *gorm.DB, u *User) error {
		if disabled && u.Role == RoleAdmin && !u.Disabled {
			if err := checkNotLastAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		wasDisabled := u.Disabled
		u.Disabled = disabled
		if disabled && !wasDisabled {
			now := time.Now().UTC()
			u.SessionsNotBefore = &now
		}
		return nil
	})
	return err
}

// SetRole changes an account's role. The last enabled admin keeps theirs.
func (s *Store) SetRole(ctx context.Context, actor Actor, id uint, role string) error {
	if !slices.Contains(Roles, role) {
		return FieldErrors{"role": fmt.Sprintf("%q is not a role: use admin, organiser or viewer", role)}
	}
	_, err := s.updateUser(ctx, actor, id, func(tx *gorm.DB, u *User) error {
		if u.Role == RoleAdmin && role != RoleAdmin && !u.Disabled {
			if err := checkNotLastAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		u.Role = role
		return nil
	})
	return err
}

// ErrLastAdmin refuses a change that would leave no enabled admin.
var ErrLastAdmin = errors.New("this is the only enabled admin: make another admin first")

// checkNotLastAdmin runs inside the change's transaction and, on
// PostgreSQL, locks the other admins' rows, so two admins demoting each
// other at once cannot both pass.
func checkNotLastAdmin(tx *gorm.DB, id uint) error {
	q := tx.Model(&User{}).Where("role = ? AND disabled = ? AND id <> ?", RoleAdmin, false, id)
	if isPostgres(tx) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ids []uint
	if err := q.Pluck("id", &ids).Error; err != nil {
		return err
	}
	n := len(ids)
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}
