package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// DefaultTimeout bounds a dial, and then each message, when NewTransport
// is given no timeout.
const DefaultTimeout = 30 * time.Second

// Transport sends messages over one SMTP connection, dialled on first use
// and kept open between messages; after an error it is closed and dialled
// again on the next Send. It is meant for one goroutine, the sender; a
// mutex makes a Close from another (at shutdown) wait for the Send under
// way instead of racing it.
//
// Per message it costs MAIL, RCPT and DATA only: no NOOP before (which
// go-mail sends by default to check the connection) and no RSET after (a
// finished DATA already ends the transaction, RFC 5321 4.1.1.4). Without
// the NOOP a connection the server closed while idle is found out by the
// MAIL command; Send then dials once more and sends on the fresh
// connection, which is safe because nothing of the message was sent.
type Transport struct {
	cfg     SMTP
	timeout time.Duration

	mu     sync.Mutex
	client *gomail.Client // settings only; go-mail's own connection is never used
	setup  error          // why client could not be built, returned by every Send
	conn   *smtp.Client   // the open connection, or nil
}

// NewTransport prepares a Transport; nothing is dialled until the first
// Send. timeout bounds the dial (with the greeting, STARTTLS and AUTH) and
// then each message; 0 means DefaultTimeout. tlsConfig nil trusts the
// system's roots; tests pass one trusting their own certificate.
func NewTransport(cfg SMTP, timeout time.Duration, tlsConfig *tls.Config) *Transport {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	t := &Transport{cfg: cfg, timeout: timeout}
	t.client, t.setup = newClient(cfg, timeout, tlsConfig)
	return t
}

func newClient(cfg SMTP, timeout time.Duration, tlsConfig *tls.Config) (*gomail.Client, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if tlsConfig != nil {
		tc = tlsConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = cfg.Host
	}
	helo, err := os.Hostname()
	if err != nil || helo == "" {
		helo = "localhost"
	}
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port), gomail.WithTimeout(timeout), gomail.WithHELO(helo),
		gomail.WithTLSConfig(tc), gomail.WithoutNoop(), gomail.WithoutRset(),
	}
	if cfg.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		// STARTTLS when offered, plain otherwise, so a relay on the same
		// machine that offers no TLS still works.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if cfg.Username != "" {
		// go-mail picks the strongest mechanism offered, and PLAIN or
		// LOGIN only over TLS: a password never crosses the wire in clear.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	host := cfg.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // go-mail joins host and port with a bare colon
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, &sendError{text: "SMTP settings: " + err.Error(), temporary: true}
	}
	return c, nil
}

// Send sends m, dialling first if no connection is open. ctx bounds the
// dial; once a message is under way it completes or fails within the
// timeout, so a cancelled ctx never cuts a message in half.
func (t *Transport) Send(ctx context.Context, m Message) error {
	msg, err := m.build()
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.setup != nil {
		return t.setup
	}
	if err := ctx.Err(); err != nil {
		return &sendError{text: "mail not sent: " + err.Error(), temporary: true, cause: err}
	}
	reused := t.conn != nil
	if err := t.dial(ctx); err != nil {
		return err
	}
	err = t.client.SendWithSMTPClient(t.conn, msg)
	if err != nil && reused && staleConnection(err) && ctx.Err() == nil {
		t.drop()
		if err := t.dial(ctx); err != nil {
			return err
		}
		err = t.client.SendWithSMTPClient(t.conn, msg)
	}
	if err != nil {
		t.drop()
		return classify(err, m.To.Email)
	}
	return nil
}

// Close ends the connection politely (QUIT), if one is open.
func (t *Transport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conn == nil {
		return nil
	}
	c := t.conn
	t.conn = nil
	if err := c.UpdateDeadline(t.timeout); err != nil {
		return c.Close()
	}
	if err := c.Quit(); err != nil {
		_ = c.Close()
		return err
	}
	return nil
}

func (t *Transport) dial(ctx context.Context) error {
	if t.conn != nil {
		return nil
	}
	c, err := t.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return &sendError{text: fmt.Sprintf("SMTP connection to %s: %s", t.cfg.String(), oneLine(err.Error())),
			temporary: true, cause: err}
	}
	t.conn = c
	return nil
}

// drop closes the connection without QUIT: after an error its state is
// unknown, and a QUIT could wait the whole timeout.
func (t *Transport) drop() {
	if t.conn != nil {
		_ = t.conn.Close()
		t.conn = nil
	}
}

// staleConnection reports whether err is a kept connection found dead
// before any of the message was sent: the connection check or MAIL failed
// on the network, or the server said 421 (closing) to MAIL.
func staleConnection(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	if se.Reason != gomail.ErrConnCheck && se.Reason != gomail.ErrSMTPMailFrom {
		return false
	}
	code := se.ErrorCode()
	return code == 0 || code == 421
}

// sendError is a failed Send. Its text names the SMTP step and the
// server's reply, with the recipient's address taken out: send errors are
// logged, and logs must not hold signers' addresses.
type sendError struct {
	text      string
	temporary bool
	code      int   // the SMTP reply code, 0 when there was none
	cause     error // for errors.Is; never a go-mail SendError, whose text names the recipient
}

func (e *sendError) Error() string { return e.text }
func (e *sendError) Unwrap() error { return e.cause }

// Temporary reports whether a Send that failed with err may succeed later.
// Temporary: 4xx replies, dial failures, timeouts, dropped connections,
// TLS or AUTH trouble, and a 5xx to MAIL FROM, which refuses our sender
// (a setting to fix) rather than this message. Permanent: a 5xx to RCPT
// TO (unknown mailbox, refused) or to the message itself, and a message
// Send refused before dialling (a bad address). An error that did not
// come from Send counts as temporary, so a caller retries rather than
// drops a mail.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var pe *permanentError
	if errors.As(err, &pe) {
		return false
	}
	var se *sendError
	if errors.As(err, &se) {
		return se.temporary
	}
	return true
}

// affectedTail is what go-mail appends to a SendError's text: the
// recipient's address and the message id.
var affectedTail = regexp.MustCompile(`, affected (recipient\(s\)|message ID): .*$`)

// classify turns a go-mail send error into a sendError: permanent for a
// 5xx reply to RCPT or to the message, temporary otherwise.
func classify(err error, to string) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &sendError{text: "SMTP: " + redact(err.Error(), to), temporary: true, cause: err}
	}
	text := redact(affectedTail.ReplaceAllString(oneLine(se.Error()), ""), to)
	code := se.ErrorCode()
	permanent := code >= 500 && code <= 599 && se.Reason != gomail.ErrSMTPMailFrom && se.Reason != gomail.ErrConnCheck
	return &sendError{text: "mail not sent: " + text, temporary: !permanent, code: code}
}

// redact takes the address out of s, in any case, and keeps s to one
// line of reasonable length.
func redact(s, addr string) string {
	s = oneLine(s)
	if addr != "" {
		s = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(addr)).ReplaceAllString(s, "(recipient)")
	}
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Code is the SMTP reply code behind a Send error (such as 451 or 550),
// or 0 when there was no reply (a network error, a refused message).
func Code(err error) int {
	var se *sendError
	if errors.As(err, &se) {
		return se.code
	}
	return 0
}
