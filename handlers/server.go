package handlers

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Time limits of a connection. Every request must send its headers within
// readHeaderTimeout and its body within readTimeout, which cuts off a
// client that holds a connection open by sending slowly. The signature
// upload alone gets uploadTimeout: 50 MB at 1 Mbit/s takes 400 s.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	uploadTimeout     = 10 * time.Minute
)

// Server is the HTTP server for the router, with the time limits above
// (cfg.ReadTimeout and cfg.UploadTimeout replace two of them, for tests).
func (h *Handler) Server(e *echo.Echo) *http.Server {
	read := readTimeout
	if h.config.ReadTimeout > 0 {
		read = h.config.ReadTimeout
	}
	return &http.Server{
		Handler:           e,
		ReadHeaderTimeout: min(readHeaderTimeout, read),
		ReadTimeout:       read,
		WriteTimeout:      max(writeTimeout, read),
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// slowUpload gives the signature upload the time a large file takes on a
// slow link: its read and write deadlines move from the server's to
// uploadTimeout from now. It runs first on that route, before anything
// reads the body (the server's deadline has not passed yet, so it can
// still be moved).
func (h *Handler) slowUpload(next echo.HandlerFunc) echo.HandlerFunc {
	d := uploadTimeout
	if h.config.UploadTimeout > 0 {
		d = h.config.UploadTimeout
	}
	return func(c echo.Context) error {
		rc := http.NewResponseController(c.Response().Writer)
		// The wall clock, not h.now: a connection's deadline is read by the
		// net package against its own clock.
		until := time.Now().Add(d)
		// Errors mean the connection cannot move its deadline (HTTP/2 over
		// some proxies, a test recorder): the server's limits then stand.
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until.Add(time.Minute))
		return next(c)
	}
}

// Listen opens the server's listener, capped at cfg.MaxConns open
// connections in all and a sixteenth of that per client network (its
// /64 on IPv6), so no one client holds every connection: one client's
// 20,000 half-open connections took the process to its file limit and a
// real request waited 2 s. Trusted proxies, which carry everyone's
// traffic, are held only to the total. At the total, new connections
// wait in the kernel's queue until one closes; over the per-client cap a
// connection is closed at once.
func (h *Handler) Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	total := h.config.MaxConns
	if total <= 0 {
		total = 4096
	}
	return newConnLimiter(ln, total, max(total/16, 8), h.config.TrustedProxies), nil
}

type connLimiter struct {
	net.Listener
	slots     chan struct{}
	perClient int
	trusted   []*net.IPNet

	mu   sync.Mutex
	open map[netip.Prefix]int
}

func newConnLimiter(ln net.Listener, total, perClient int, trusted []*net.IPNet) *connLimiter {
	return &connLimiter{Listener: ln, slots: make(chan struct{}, total), perClient: perClient,
		trusted: trusted, open: make(map[netip.Prefix]int)}
}

// Accept waits for a free slot, then for a connection from a client under
// its own cap.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		l.slots <- struct{}{}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.slots
			return nil, err
		}
		key, capped := l.client(c)
		l.mu.Lock()
		over := capped && l.open[key] >= l.perClient
		if !over {
			l.open[key]++
		}
		l.mu.Unlock()
		if over {
			c.Close()
			<-l.slots
			continue
		}
		return &limitedConn{Conn: c, release: func() { l.release(key) }}, nil
	}
}

// client is the network a connection counts against, and whether it is
// held to the per-client cap (trusted proxies are not).
func (l *connLimiter) client(c net.Conn) (netip.Prefix, bool) {
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Prefix{}, true
	}
	if ip := net.ParseIP(host); ip != nil {
		for _, n := range l.trusted {
			if n.Contains(ip) {
				return netip.Prefix{}, false
			}
		}
	}
	return clientNet(host), true
}

func (l *connLimiter) release(key netip.Prefix) {
	l.mu.Lock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
	l.mu.Unlock()
	<-l.slots
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
