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

// BeginLogin records a sign-in attempt for email from the client network
// ip, as a failure, before any password is checked, and then reports
// whether the attempt is over a limit and until when. Counting after
// recording is what makes the limits hold under any concurrency, across
// instances: each attempt's count includes itself and every attempt
// recorded before it, so of any number of simultaneous attempts at most
// the limit are let through. A refused attempt's row is removed again, so
// refusals do not prolong the throttle. The caller reports a success
// with LoginSucceeded(id).
func (s *Store) BeginLogin(ctx context.Context, email, ip string) (id uint, throttled bool, until time.Time, err error) {
	now := time.Now().UTC()
	a := loginAttempt{Email: NormaliseEmail(email), IP: ip, CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&a).Error; err != nil {
		return 0, false, time.Time{}, err
	}
	throttled, until, err = s.overLoginLimits(ctx, a, now.Add(-LoginWindow))
	if err != nil || throttled {
		if derr := s.db.WithContext(context.WithoutCancel(ctx)).Delete(&loginAttempt{}, a.ID).Error; err == nil {
			err = derr
		}
		return 0, throttled, until, err
	}
	return a.ID, false, time.Time{}, nil
}

// overLoginLimits counts, for an attempt just recorded, the failures of
// its account since the account's last success and of its network, both
// within the window and including the attempt itself.
func (s *Store) overLoginLimits(ctx context.Context, a loginAttempt, since time.Time) (bool, time.Time, error) {
	var lastSuccess []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("email = ? AND succeeded = ? AND created_at > ?", a.Email, true, since).
		Order("created_at DESC").Limit(1).Pluck("created_at", &lastSuccess).Error; err != nil {
		return false, time.Time{}, err
	}
	from := since
	if len(lastSuccess) == 1 {
		from = lastSuccess[0]
	}
	// The latest failures, one more than the limit allows: when there are
	// that many, the oldest of them says when the throttle lifts.
	var failures []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("email = ? AND succeeded = ? AND created_at > ?", a.Email, false, from).
		Order("created_at DESC").Limit(MaxAccountFailures+1).Pluck("created_at", &failures).Error; err != nil {
		return false, time.Time{}, err
	}
	if len(failures) > MaxAccountFailures {
		return true, failures[MaxAccountFailures].Add(LoginWindow), nil
	}
	var ipFailures []time.Time
	if err := s.db.WithContext(ctx).Model(&loginAttempt{}).
		Where("ip = ? AND succeeded = ? AND created_at > ?", a.IP, false, since).
		Order("created_at DESC").Limit(MaxIPFailures+1).Pluck("created_at", &ipFailures).Error; err != nil {
		return false, time.Time{}, err
	}
	if len(ipFailures) > MaxIPFailures {
		return true, ipFailures[MaxIPFailures].Add(LoginWindow), nil
	}
	return false, time.Time{}, nil
}

// LoginSucceeded marks an attempt begun with BeginLogin as a success,
// which clears its account's run of failures.
func (s *Store) LoginSucceeded(ctx context.Context, id uint) error {
	return s.db.WithContext(ctx).Model(&loginAttempt{}).Where("id = ?", id).Update("succeeded", true).Error
}
