// Package mailtest is an SMTP server for tests: the real protocol over
// loopback TCP (github.com/emersion/go-smtp), keeping every message it
// accepts so a test can read what a client really sent.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server took it.
type Received struct {
	From string   // MAIL FROM
	To   []string // every RCPT TO
	Data []byte   // the raw DATA, headers and all
	// Header is Data's header, parsed; Subject and names stay RFC 2047
	// encoded as sent (see Decoded).
	Header     mail.Header
	Text, HTML string // the text/plain and text/html parts, transfer encoding undone
	TLS        bool   // the message came over TLS (smtps or after STARTTLS)
	User       string // the AUTH PLAIN user, "" when the client did not authenticate
}

// Decoded is a header's value with RFC 2047 encoded words decoded.
func (r Received) Decoded(name string) string {
	v := r.Header.Get(name)
	d, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// Server is a running test SMTP server.
type Server struct {
	smtp     *smtp.Server
	addr     string
	implicit bool
	tls      *tls.Config

	mu       sync.Mutex
	cond     *sync.Cond
	messages []Received
	refuse   *smtp.SMTPError
	accepted int
	open     map[net.Conn]struct{}
	ln       net.Listener
}

// Start runs a server on 127.0.0.1 with no TLS, closed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, nil, false)
}

// StartTLS runs a server with a certificate made for 127.0.0.1 and
// returns a client configuration that trusts it. implicit: TLS from the
// first byte (smtps); otherwise STARTTLS is offered.
func StartTLS(t testing.TB, implicit bool) (*Server, *tls.Config) {
	t.Helper()
	serverCfg, clientCfg := testCert(t)
	return start(t, serverCfg, implicit), clientCfg
}

func start(t testing.TB, tlsCfg *tls.Config, implicit bool) *Server {
	s := &Server{implicit: implicit, tls: tlsCfg, open: map[net.Conn]struct{}{}}
	s.cond = sync.NewCond(&s.mu)
	if err := s.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// listen serves on addr with a fresh go-smtp server (one cannot serve
// again once closed).
func (s *Server) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mailtest.localhost"
	srv.AllowInsecureAuth = true // loopback only
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.ErrorLog = nopLogger{}
	var l net.Listener = &countingListener{Listener: ln, s: s}
	if s.implicit {
		l = tls.NewListener(l, s.tls)
	} else {
		srv.TLSConfig = s.tls // nil: no STARTTLS
	}
	s.mu.Lock()
	s.smtp, s.ln, s.addr = srv, ln, ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
	return nil
}

// URL is the server's address as an --smtp-url: smtp://127.0.0.1:PORT,
// or smtps:// for a server started with StartTLS(t, true).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.implicit {
		return "smtps://" + s.addr
	}
	return "smtp://" + s.addr
}

// Addr is host:port.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Messages is a copy of every message accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// Wait waits until at least n messages have arrived and returns them; the
// test fails if they have not within timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	for len(s.messages) < n && time.Now().Before(deadline) {
		s.cond.Wait()
	}
	got := append([]Received(nil), s.messages...)
	s.mu.Unlock()
	if len(got) < n {
		t.Fatalf("mailtest: %d messages arrived within %v, want %d", len(got), timeout, n)
	}
	return got
}

// Refuse makes every later RCPT TO answer code with msg, such as 451
// (try later) or 550 (no such mailbox); Refuse(0, "") accepts again.
func (s *Server) Refuse(code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.refuse = nil
		return
	}
	s.refuse = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: msg}
}

// Connections is how many connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// DropConnections closes every open connection from the server's side, as
// a server does to an idle client, and keeps listening.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close() // takes s.mu, to forget c
	}
}

// Stop closes the listener and every connection: the server is down.
// Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.smtp, s.ln
	s.smtp, s.ln = nil, nil
	s.mu.Unlock()
	// The listener is closed here as well: Serve runs in its own goroutine
	// and may not have handed the listener to the server yet, and a server
	// closed before that would go on to serve it.
	if ln != nil {
		_ = ln.Close()
	}
	if srv != nil {
		_ = srv.Close()
	}
}

// Restart brings a stopped server back on the same address.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.listen(s.Addr()); err != nil {
		t.Fatalf("mailtest: restart: %v", err)
	}
}

func (s *Server) deliver(r Received) {
	s.mu.Lock()
	s.messages = append(s.messages, r)
	s.cond.Broadcast()
	s.mu.Unlock()
}

// countingListener counts accepted connections and remembers the open
// ones, for Connections and DropConnections.
type countingListener struct {
	net.Listener
	s *Server
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.mu.Lock()
	l.s.accepted++
	tc := &trackedConn{Conn: c, s: l.s}
	l.s.open[tc] = struct{}{}
	l.s.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	s    *Server
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.open, c)
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

// AuthMechanisms and Auth accept any AUTH PLAIN user: tests check that a
// client authenticates, not whom as.
func (*session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, _ string) error {
		x.user = user
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from, x.to = from, nil
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	refuse := x.s.refuse
	x.s.mu.Unlock()
	if refuse != nil {
		return refuse
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	rec := Received{From: x.from, To: append([]string(nil), x.to...), Data: data, TLS: isTLS, User: x.user}
	if err := parse(&rec); err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "mailtest: " + err.Error()}
	}
	x.s.deliver(rec)
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// parse fills in Header, Text and HTML from Data.
func parse(r *Received) error {
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return err
	}
	r.Header = m.Header
	return readPart(r, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
}

func readPart(r *Received, contentType, encoding string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if contentType == "" {
		mediaType, err = "text/plain", nil
	}
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readPart(r, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &noNewlines{body})
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	switch mediaType {
	case "text/plain":
		r.Text = string(b)
	case "text/html":
		r.HTML = string(b)
	}
	return nil
}

// noNewlines drops CR and LF, which base64 bodies carry every 76 columns.
type noNewlines struct{ r io.Reader }

func (n *noNewlines) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	j := 0
	for _, c := range p[:k] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// testCert makes a self-signed certificate for 127.0.0.1 and localhost.
func testCert(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mailtest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return server, client
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}
func (nopLogger) Println(...any)        {}
