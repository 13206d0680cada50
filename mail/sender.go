package mail

import (
	"context"
	"crypto/tls"
	"log/slog"
	"sync"
	"time"

	"campaigntrack/models"
)

// Sender is the outbox's worker; every server instance runs one. It claims
// due messages (a lease, so instances share the outbox and a dead one's
// messages go to the next), sends each over one reused SMTP connection and
// records the outcome before it sends the next: a message is marked sent
// only after the server accepted it, so a crash can repeat at most the one
// message whose acceptance was in flight. With no SMTP server set up it
// marks messages kept instead, and nothing leaves the machine.
//
// It also does the outbox's housekeeping once a minute: pending
// signatures past their seven days are deleted, and messages done with
// for longer than keep lose their address.
type Sender struct {
	store     *models.Store
	compose   *Composer
	transport *Transport // nil: outbox only
	log       *slog.Logger
	keep      time.Duration
	now       func() time.Time

	// Batch and Lease: messages claimed at once, and how long a claim
	// holds. Poll: how often an idle sender looks for due mail.
	Batch int
	Lease time.Duration
	Poll  time.Duration

	mu    sync.Mutex
	state SenderState
}

// SenderState is what this instance's sender last did, for the Mail page.
type SenderState struct {
	Sent        int64 // messages this instance handed to the SMTP server since it started
	LastSentAt  time.Time
	LastError   string
	LastErrorAt time.Time
}

// NewSender makes the sender of an outbox. smtp nil means outbox-only;
// tlsConfig nil trusts the system's roots.
func NewSender(store *models.Store, compose *Composer, smtp *SMTP, tlsConfig *tls.Config, keep time.Duration, log *slog.Logger) *Sender {
	s := &Sender{store: store, compose: compose, log: log, keep: keep, now: time.Now,
		Batch: 25, Lease: 5 * time.Minute, Poll: time.Second}
	if smtp != nil {
		s.transport = NewTransport(*smtp, 30*time.Second, tlsConfig)
	}
	return s
}

// Mailing reports whether messages leave the machine.
func (s *Sender) Mailing() bool { return s.transport != nil }

// State is a copy of what the sender last did.
func (s *Sender) State() SenderState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Run sends until ctx ends. alone: this instance knows it is the only one
// on its database, so any claim it finds is a dead sender's and is
// released at once rather than when its lease runs out.
func (s *Sender) Run(ctx context.Context, alone bool) {
	if alone {
		if err := s.store.ReleaseMailClaims(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("mail: releasing the claims of a stopped sender failed; they end with their lease", "error", err)
		}
	}
	defer func() {
		if s.transport != nil {
			_ = s.transport.Close()
		}
	}()
	var housekept time.Time
	pause := time.Duration(0)
	for ctx.Err() == nil {
		if s.now().Sub(housekept) >= time.Minute {
			s.housekeep(ctx)
			housekept = s.now()
		}
		sent, wait := s.round(ctx)
		switch {
		case wait > 0: // the server could not be reached: back off, up to a minute
			pause = min(max(2*pause, wait), time.Minute)
		case sent == 0:
			pause = s.Poll
		default:
			pause = 0
		}
		if pause > 0 {
			if s.transport != nil && sent == 0 && wait == 0 {
				// Idle: let the server's connection go rather than hold it
				// open between sparse messages.
				_ = s.transport.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(pause):
			}
		}
	}
}

// round claims one batch and handles it. It returns how many messages it
// handled, and a pause when the SMTP server could not be reached.
func (s *Sender) round(ctx context.Context) (handled int, pause time.Duration) {
	now := s.now()
	due, err := s.store.MailDue(ctx, now)
	if err != nil || !due {
		if err != nil && ctx.Err() == nil {
			s.fail("mail: reading the outbox failed", err)
			return 0, 5 * time.Second
		}
		return 0, 0
	}
	batch, err := s.store.ClaimMail(ctx, now, s.Batch, s.Lease)
	if err != nil {
		if ctx.Err() == nil {
			s.fail("mail: claiming messages failed", err)
		}
		return 0, 5 * time.Second
	}
	if s.transport == nil {
		ids := make([]uint, len(batch))
		for i, m := range batch {
			ids[i] = m.ID
		}
		if err := s.store.MarkMailKept(ctx, ids, now); err != nil {
			s.fail("mail: marking messages kept failed", err)
		}
		return len(batch), 0
	}
	for i, m := range batch {
		msg, err := s.compose.Render(ctx, m)
		if err != nil {
			s.record(s.store.MarkMailFailed(ctx, m.ID, "not sent: "+err.Error()))
			continue
		}
		// The send is not cut short by ctx: a message under way completes
		// or fails within the transport's timeout, and its outcome is
		// recorded even as the server shuts down.
		err = s.transport.Send(context.WithoutCancel(ctx), msg)
		done := context.WithoutCancel(ctx)
		switch {
		case err == nil:
			s.record(s.store.MarkMailSent(done, m.ID, s.now()))
			s.mu.Lock()
			s.state.Sent++
			s.state.LastSentAt = s.now()
			s.mu.Unlock()
		case Temporary(err) && (Code(err) == 0 || Code(err) == 421):
			// No answer from the server (down, unreachable, closing): the
			// rest of the batch would fail alike. Each is tried again
			// after a pause, and the sender waits too.
			ids := make([]uint, 0, len(batch)-i)
			for _, r := range batch[i:] {
				ids = append(ids, r.ID)
			}
			wait := 5 * time.Second
			s.fail("mail: the SMTP server cannot be reached; messages stay queued", err)
			s.record(s.store.MarkMailRetry(done, ids, s.now().Add(wait), err.Error()))
			return i, wait
		case Temporary(err):
			s.fail("mail: a message was refused for now; it is tried again later", err)
			s.record(s.store.MarkMailRetry(done, []uint{m.ID}, s.now().Add(models.RetryDelay(m.Attempts+1)), err.Error()))
		default:
			s.fail("mail: a message was refused", err)
			s.record(s.store.MarkMailFailed(done, m.ID, err.Error()))
		}
		if ctx.Err() != nil {
			// Shutting down: the rest of the claim goes back to the outbox.
			ids := make([]uint, 0, len(batch)-i-1)
			for _, r := range batch[i+1:] {
				ids = append(ids, r.ID)
			}
			s.record(s.store.ReleaseMail(done, ids))
			return i + 1, 0
		}
	}
	return len(batch), 0
}

// housekeep deletes expired pending signatures and blanks the addresses of
// messages done with for longer than keep.
func (s *Sender) housekeep(ctx context.Context) {
	now := s.now()
	if n, err := s.store.ExpirePending(ctx, now); err != nil {
		if ctx.Err() == nil {
			s.fail("mail: deleting expired pending signatures failed", err)
		}
	} else if n > 0 {
		s.log.Info("mail: pending signatures expired unconfirmed and were deleted", "signatures", n)
	}
	if _, err := s.store.PurgeMail(ctx, now.Add(-s.keep)); err != nil && ctx.Err() == nil {
		s.fail("mail: blanking the addresses of old messages failed", err)
	}
}

// fail logs an error once per distinct text a minute and keeps it for the
// Mail page.
func (s *Sender) fail(msg string, err error) {
	s.mu.Lock()
	repeat := s.state.LastError == err.Error() && s.now().Sub(s.state.LastErrorAt) < time.Minute
	s.state.LastError, s.state.LastErrorAt = err.Error(), s.now()
	s.mu.Unlock()
	if !repeat {
		s.log.Warn(msg, "error", err)
	}
}

// record logs a failure to write a message's outcome: the message stays
// claimed until its lease ends and is then sent again.
func (s *Sender) record(err error) {
	if err != nil {
		s.fail("mail: recording a message's outcome failed; it may be sent again", err)
	}
}
