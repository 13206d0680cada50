package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// session is one row of the server-side session store. The data is what
// the session manager encodes; the tracker never reads it here. The row is
// keyed by the SHA-256 of the session token, never the token itself, so
// whoever reads the database or a backup holds no one's session: the
// token is 32 random bytes, so a plain hash cannot be reversed.
type session struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

func (session) TableName() string { return "sessions" }

// SessionStore keeps sessions in the application's own database, so every
// instance behind a load balancer sees the same sessions. It implements
// scs.Store and scs.CtxStore.
type SessionStore struct{ db *gorm.DB }

// tokenKey is what the sessions table keeps for a session token.
func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Sessions returns the store's session table as an scs store.
func (s *Store) Sessions() *SessionStore { return &SessionStore{db: s.db} }

// FindCtx returns a session's data unless it is missing or expired.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row session
	err := ss.db.WithContext(ctx).Where("token = ? AND expiry > ?", tokenKey(token), time.Now().UTC()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return row.Data, true, nil
}

// CommitCtx saves a session's data and expiry.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return ss.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&session{Token: tokenKey(token), Data: b, Expiry: expiry.UTC()}).Error
}

// DeleteCtx removes a session; a missing one is not an error.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return ss.db.WithContext(ctx).Where("token = ?", tokenKey(token)).Delete(&session{}).Error
}

// Find implements scs.Store.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error {
	return ss.DeleteCtx(context.Background(), token)
}

// PruneExpired deletes expired sessions and sign-in attempts older than
// the throttle window, and reports how many rows went.
func (s *Store) PruneExpired(ctx context.Context) (int64, error) {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Where("expiry <= ?", now).Delete(&session{})
	if res.Error != nil {
		return 0, res.Error
	}
	n := res.RowsAffected
	res = s.db.WithContext(ctx).Where("created_at < ?", now.Add(-2*LoginWindow)).Delete(&loginAttempt{})
	return n + res.RowsAffected, res.Error
}
