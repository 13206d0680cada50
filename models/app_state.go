package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// appState records things the application does once per database, such
// as the first start of the server.
type appState struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	CreatedAt time.Time
}

func (appState) TableName() string { return "app_state" }

// Once records key and reports whether this call was the first to do so,
// across every process sharing the database.
func (s *Store) Once(ctx context.Context, key string) (first bool, err error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&appState{Key: key, CreatedAt: time.Now().UTC()})
	return res.RowsAffected == 1, res.Error
}

// Secret returns the database's secret of that name: 32 random bytes made
// by whichever process asks first and kept in app_state, so every instance
// on the database signs and checks with the same key. It is as private as
// the database (and its backups) are.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret:" + name
	if b, err := s.readSecret(ctx, key); err == nil || !errors.Is(err, ErrNotFound) {
		return b, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&appState{Key: key, Value: hex.EncodeToString(fresh), CreatedAt: time.Now().UTC()}).Error; err != nil {
		return nil, err
	}
	return s.readSecret(ctx, key)
}

func (s *Store) readSecret(ctx context.Context, key string) ([]byte, error) {
	var row appState
	if err := s.db.WithContext(ctx).Where("key = ?", key).Take(&row).Error; err != nil {
		return nil, notFound(err)
	}
	b, err := hex.DecodeString(row.Value)
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("app_state %s does not hold a secret", key)
	}
	return b, nil
}

// siteIDKey is the app_state row that holds the site's name (migration 8).
const siteIDKey = "site_id"

// SiteID is this site's random name, made once per database: stable
// across a move to another host, unique to this tracker.
func (s *Store) SiteID(ctx context.Context) (string, error) {
	var st appState
	if err := s.db.WithContext(ctx).Where("key = ?", siteIDKey).Take(&st).Error; err != nil {
		return "", notFound(err)
	}
	return st.Value, nil
}
