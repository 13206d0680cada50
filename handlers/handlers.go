// Package handlers turns HTTP requests into Store calls and rendered
// pages. routes.go lists every route; each other file owns one resource.
package handlers

import (
	"log/slog"

	"campaigntrack/config"
	"campaigntrack/models"
)

// Handler holds what every handler needs. It is built once by New; there
// are no globals.
type Handler struct {
	store  *models.Store
	log    *slog.Logger
	config config.Config
}

// New builds the handlers over a store.
func New(store *models.Store, log *slog.Logger, cfg config.Config) *Handler {
	return &Handler{store: store, log: log, config: cfg}
}
