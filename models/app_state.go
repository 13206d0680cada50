package models

import (
	"context"
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
