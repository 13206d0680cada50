package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"campaigntrack/config"
	"campaigntrack/models"
)

// The one way a command opens the database (backup alone opens it
// without migrating; see backupCommand), and the one way it finds the
// campaign a verb names. A command parses and checks its flags and files
// first and opens the store after, so a mistake in the call never creates
// or migrates a database.

// openStore opens and migrates the database named by cfg, logging what
// it changes (a migration, file modes) on the command's standard error.
func openStore(ctx context.Context, env Env, cfg config.Config) (*models.Store, error) {
	log := newLogger(env.Stderr, cfg.LogLevel)
	db, err := models.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	secureDatabaseFiles(cfg.DB, log) // once it is known to be a database
	store := models.NewStore(db)
	from, to, err := store.Migrate(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	if from != to {
		log.Info("database migrated", "from_version", from, "to_version", to)
	}
	return store, nil
}

// openCampaign opens the store and finds the campaign named by --campaign.
func openCampaign(ctx context.Context, env Env, cfg config.Config, slug string) (*models.Store, *models.Campaign, error) {
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return nil, nil, err
	}
	cp, err := store.CampaignBySlug(ctx, slug)
	if err != nil {
		store.Close()
		if errors.Is(err, models.ErrNotFound) {
			return nil, nil, fmt.Errorf("--campaign %q: no campaign has this slug", slug)
		}
		return nil, nil, err
	}
	return store, cp, nil
}

// requireCampaign refuses an empty --campaign before anything is opened.
func requireCampaign(slug string) error {
	if strings.TrimSpace(slug) == "" {
		return errors.New("--campaign is required: the campaign's slug, as in /campaigns/SLUG")
	}
	return nil
}
