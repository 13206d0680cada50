package models

import (
	"context"
	"time"
)

// Sign-in throttling: the limits hold across every instance because the
// attempts are rows in the shared database.
const (
	// LoginWindow is how far back failed attempts count.
	LoginWindow = 15 * time.Minute
	// MaxAccountFailures is how many failures in a row an account may have
	// in the window; the next attempt is throttled.
	MaxAccountFailures = 9
	// MaxIPFailures is how many failures one client address may have in
	// the window, across all accounts.
	MaxIPFailures = 30
)

type loginAttempt struct {
	ID        uint
	Email     string
	IP        string
	Succeeded bool
	CreatedAt time.Time
}

func (loginAttempt) TableName() string { return "login_attempts" }

// LoginThrottled reports whether a sign-in for email from ip must be
// refused unchecked, and until when.
func (s *Store) LoginThrottled(ctx context.Context, email, ip string) (bool, time.Time, error) {
	since := time.Now().UTC().Add(-LoginWindow)
	email = NormaliseEmail(email)

	// Failures for the account since its last success in the window.
	var lastSuccess []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("email = ? AND succeeded = ? AND created_at > ?", email, true, since).
		Order("created_at DESC").Limit(1).Pluck("created_at", &lastSuccess).Error; err != nil {
		return false, time.Time{}, err
	}
	from := since
	if len(lastSuccess) == 1 {
		from = lastSuccess[0]
	}
	// The latest failures, at most as many as the limit: when there are
	// that many, the oldest of them says when the throttle lifts.
	var failures []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("email = ? AND succeeded = ? AND created_at > ?", email, false, from).
		Order("created_at DESC").Limit(MaxAccountFailures).Pluck("created_at", &failures).Error; err != nil {
		return false, time.Time{}, err
	}
	if len(failures) >= MaxAccountFailures {
		return true, failures[len(failures)-1].Add(LoginWindow), nil
	}
	var ipFailures []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("ip = ? AND succeeded = ? AND created_at > ?", ip, false, since).
		Order("created_at DESC").Limit(MaxIPFailures).Pluck("created_at", &ipFailures).Error; err != nil {
		return false, time.Time{}, err
	}
	if len(ipFailures) >= MaxIPFailures {
		return true, ipFailures[len(ipFailures)-1].Add(LoginWindow), nil
	}
	return false, time.Time{}, nil
}

// RecordLogin notes a sign-in attempt for throttling.
func (s *Store) RecordLogin(ctx context.Context, email, ip string, succeeded bool) error {
	return s.db.WithContext(ctx).Create(&loginAttempt{
		Email: NormaliseEmail(email), IP: ip, Succeeded: succeeded, CreatedAt: time.Now().UTC(),
	}).Error
}
