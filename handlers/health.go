package handlers

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"campaigntrack/models"
)

// healthTTL is how long a health check's outcome is reused: a flood of
// /healthz costs at most one database write a second per instance.
const healthTTL = time.Second

// healthCheck is the last outcome of the database check, shared by every
// /healthz request of the instance.
type healthCheck struct {
	mu     sync.Mutex // held while checking: requests meanwhile wait for its outcome
	at     time.Time
	status string // "ok", or what is wrong
}

// healthz answers 200 when the database answers and takes a write, 503
// when it does not: a database that reads but cannot write (a full disk,
// read-only) refuses every signature and every change, so the instance is
// not healthy. The body is JSON {"status": ...}.
func (h *Handler) healthz(c echo.Context) error {
	if status := h.health.check(h, c.Request().Context()); status != "ok" {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": status})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// check returns the outcome of the last check if it is recent, or checks
// again and logs a failure (once a check, not once a request).
func (hc *healthCheck) check(h *Handler, ctx context.Context) string {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if h.now().Sub(hc.at) < healthTTL {
		return hc.status
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	hc.status = "ok"
	if err := h.store.Ping(ctx); err != nil {
		hc.status = "database unavailable"
		h.log.Error("health check: the database does not answer", "error", err)
	} else if err := h.store.CheckWrite(ctx); err != nil {
		hc.status = "database unavailable"
		if models.IsUnwritable(err) {
			hc.status = "database cannot be written"
		}
		h.log.Error("health check: the database takes no writes", "error", err)
	}
	hc.at = h.now()
	return hc.status
}
