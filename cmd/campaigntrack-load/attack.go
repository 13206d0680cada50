package main

// The attack scenarios: what an opponent sends to flood the server, so a
// run (or an e2e test) can see whether the server stays bounded. Unlike
// sign and read, an attack expects refusals: it counts every answer by
// status, and a run has problems only when the server answers in a way no
// attack should get from it (a 5xx, a dropped request, a real visitor not
// served).

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// AttackConfig is one attack run.
type AttackConfig struct {
	Kind     string // slugs, signin or halfopen
	URL      string // one base URL
	Campaign string // slugs: the campaign page the CSRF token comes from
	Clients  int    // slugs, signin: concurrent clients
	Duration time.Duration
	// N is the attempts in all (signin) or the connections to open
	// (halfopen).
	N int
	// Len is the length in bytes of each random slug, and the most a
	// random form value may have (slugs).
	Len   int
	Email string // signin: the one account attacked; "" for unknown random emails
	// From is the local addresses the attack's connections come from,
	// comma-separated: client (or connection) i uses the (i mod n)th; ""
	// for the system's choice. Halfopen's probes never use them.
	From    string
	Timeout time.Duration // per request; 0 for 30s
}

// Limits of an attack's flags.
const (
	maxValueLen = 8 << 10 // -len: a few KB; the server caps paths and bodies anyway
	// halfOpenDialers open a halfopen run's connections in parallel.
	halfOpenDialers = 64
	// probeEvery is how often halfopen times a real request.
	probeEvery = 200 * time.Millisecond
	// partialRequest is all a half-open connection ever sends: the start
	// of a request line, with no end.
	partialRequest = "GET /healthz HTTP/1.1"
)

// AttackResult is what an attack run saw.
type AttackResult struct {
	Kind     string `json:"kind"`
	Clients  int    `json:"clients,omitempty"`
	ValueLen int    `json:"value_len,omitempty"`
	Email    string `json:"email,omitempty"`
	From     string `json:"from,omitempty"`
	// SetupSeconds is the time the clients took to fetch their cookies
	// and tokens, before the clock started.
	SetupSeconds   float64 `json:"setup_s,omitempty"`
	ElapsedSeconds float64 `json:"elapsed_s"`
	Requests       int64   `json:"requests"`
	// Statuses counts every answer by HTTP status ("404") and every
	// transport error by kind ("transport: timeout").
	Statuses              map[string]int64 `json:"statuses"`
	TransportErrorSamples []string         `json:"transport_error_samples,omitempty"`
	RequestRate           float64          `json:"requests_per_s"`
	Latency               Latency          `json:"latency_ms"`
	HalfOpen              *HalfOpenResult  `json:"halfopen,omitempty"`

	started time.Time // when the clock started, after any setup
}

// HalfOpenResult is what became of a halfopen run's connections, and of
// the real requests made meanwhile.
type HalfOpenResult struct {
	Wanted int    `json:"wanted"`
	Hold   string `json:"hold"`
	// Opened connections completed the TCP handshake (the kernel's, which
	// says nothing yet of whether the server will keep them).
	Opened      int64   `json:"opened"`
	OpenSeconds float64 `json:"open_s"`
	// Refused connections never opened: refused, timed out (a full
	// accept queue drops the handshake), no local port.
	Refused       int64            `json:"refused"`
	RefusedByKind map[string]int64 `json:"refused_by_kind"`
	// ClosedByServer were opened, then closed by the server before the
	// hold ended; ClosedAfter is how long after opening.
	ClosedByServer int64   `json:"closed_by_server"`
	ClosedAfter    Latency `json:"closed_after_ms"`
	// HeldToEnd were still open when the hold ended (the tool closed them):
	// held by the server, or never taken from the kernel's queue (a
	// server at its total waits to accept them), which a client cannot
	// tell apart.
	HeldToEnd int64       `json:"held_to_end"`
	Probes    ProbeResult `json:"probes"`
}

// ProbeResult is the real requests a halfopen run timed: one GET every
// probeEvery, each on a new connection from the default local address.
type ProbeResult struct {
	Path     string           `json:"path"`
	Every    string           `json:"every"`
	Requests int64            `json:"requests"`
	OK       int64            `json:"ok"`
	Errors   map[string]int64 `json:"errors"`
	Samples  []string         `json:"error_samples,omitempty"`
	Latency  Latency          `json:"latency_ms"`
}

// RunAttack runs one attack.
func RunAttack(ctx context.Context, cfg AttackConfig) (*Report, error) {
	campaign := cfg.Campaign
	if cfg.Kind != "slugs" {
		campaign = "-" // only slugs visits a campaign
	}
	t, err := newTarget(strings.TrimSpace(cfg.URL), campaign)
	if err != nil {
		return nil, err
	}
	from, err := parseFrom(cfg.From)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	rep := newReport("attack "+cfg.Kind, []target{t}, cfg.Duration)
	switch cfg.Kind {
	case "slugs":
		if cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Len < 1 || cfg.Len > maxValueLen {
			return nil, usageError{fmt.Errorf("slugs: want -c >= 1, -d > 0 and 1 <= -len <= %d", maxValueLen)}
		}
		rep.Attack, err = attackSlugs(ctx, cfg, t, attackTransports(cfg.Clients, from))
	case "signin":
		if cfg.Clients < 1 || cfg.N < 1 {
			return nil, usageError{errors.New("signin: want -c >= 1 and -n >= 1")}
		}
		rep.Duration = ""
		rep.Attack, err = attackSignIn(ctx, cfg, t, attackTransports(cfg.Clients, from))
	case "halfopen":
		if cfg.N < 1 || cfg.Duration <= 0 {
			return nil, usageError{errors.New("halfopen: want -n >= 1 and -d > 0")}
		}
		rep.Attack, err = attackHalfOpen(ctx, cfg, t, from)
	default:
		return nil, usageError{fmt.Errorf("-kind %q: want slugs, signin or halfopen", cfg.Kind)}
	}
	if err != nil {
		return nil, err
	}
	rep.Started = rep.Attack.started
	rep.Interrupted = ctx.Err() != nil
	if cfg.Kind != "slugs" {
		rep.Campaign = ""
	}
	rep.finish()
	return rep, nil
}

// parseFrom reads -from: local IP addresses, comma-separated, each once.
func parseFrom(s string) ([]net.IP, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ips []net.IP
	for _, f := range strings.Split(s, ",") {
		ip := net.ParseIP(strings.TrimSpace(f))
		if ip == nil {
			return nil, usageError{fmt.Errorf("-from %q: want local IP addresses such as 127.0.0.2, comma-separated", s)}
		}
		if slices.ContainsFunc(ips, ip.Equal) {
			return nil, usageError{fmt.Errorf("-from: %s is listed twice", ip)}
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

// attackTransports are the transports of an attack's clients: one, or
// with -from one per local address, whose connections come from it.
// Client i uses the (i mod n)th.
func attackTransports(conns int, from []net.IP) []http.RoundTripper {
	if len(from) == 0 {
		return []http.RoundTripper{NewTransport(conns)}
	}
	trs := make([]http.RoundTripper, len(from))
	for i, ip := range from {
		tr := NewTransport(conns/len(from) + 1)
		tr.DialContext = localDialer(ip, 30*time.Second).DialContext
		trs[i] = tr
	}
	return trs
}

// localDialer dials from the local address ip.
func localDialer(ip net.IP, timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
}

// A random value's bytes: mostly letters and digits, with characters a
// URL must escape, multi-byte UTF-8, control characters and a byte that
// is not UTF-8 at all, so every path and form parser on the way meets
// them.
var (
	plainBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
	oddValues  = []string{" ", "/", "%", "?", "#", "&", "+", "=", ";", "'", `"`, "<", ">", "\\", "\x00", "\n", "\r", "\x1b", "\xff",
		"é", "ü", "中", "ع", "🙂", "\u202e", "\ufeff"}
)

// randomValue is n bytes of random text (see oddValues).
func randomValue(rng *rand.Rand, n int) string {
	b := make([]byte, 0, n)
	for len(b) < n {
		if rng.IntN(8) == 0 {
			if s := oddValues[rng.IntN(len(oddValues))]; len(b)+len(s) <= n {
				b = append(b, s...)
				continue
			}
		}
		b = append(b, plainBytes[rng.IntN(len(plainBytes))])
	}
	return string(b)
}

// randomSegment is a path segment of n random bytes, escaped: it never
// adds a segment, a query or a fragment to the path, and never ends it in
// a slash.
func randomSegment(rng *rand.Rand, n int) string { return url.PathEscape(randomValue(rng, n)) }

// The campaign's pages an attack asks for under a random slug ("" is the
// campaign page itself); a random last segment is added too.
var campaignSubpaths = []string{"", "/timeline", "/timeline.atom", "/responses", "/deliveries", "/deliveries.csv", "/actions.csv", "/responses.csv", "/signed"}

// randomSignPath is POST's path: /campaigns/RANDOM/sign.
func randomSignPath(rng *rand.Rand, n int) string {
	return "/campaigns/" + randomSegment(rng, n) + "/sign"
}

// randomGetPath is a GET's path and query under a random slug: one of the
// campaign's pages, a made-up page, or the JSON API; half of them with a
// random query string.
func randomGetPath(rng *rand.Rand, n int) string {
	slug := randomSegment(rng, n)
	var p string
	switch i := rng.IntN(len(campaignSubpaths) + 2); {
	case i < len(campaignSubpaths):
		p = "/campaigns/" + slug + campaignSubpaths[i]
	case i == len(campaignSubpaths):
		p = "/campaigns/" + slug + "/" + randomSegment(rng, 1+rng.IntN(n))
	default:
		p = "/api/campaigns/" + slug
	}
	if rng.IntN(2) == 0 {
		p += "?" + url.Values{randomValue(rng, 1+rng.IntN(16)): {randomValue(rng, 1+rng.IntN(n))}}.Encode()
	}
	return p
}

// signFields are the sign form's fields; a random body fills each with a
// random value, and adds one made-up field.
var signFields = []string{"first_name", "last_name", "email", "city", "region", "country", "postal_code", "comment", "show_name", "send_updates"}

// randomSignForm is a sign form of random values, each 1 to n bytes long
// (so bodies range from small to past the server's limit), with the
// client's CSRF token so the request gets past the token check to the
// campaign's lookup.
func randomSignForm(rng *rand.Rand, n int, token string) string {
	form := url.Values{"_csrf": {token}}
	for _, f := range signFields {
		form.Set(f, randomValue(rng, 1+rng.IntN(n)))
	}
	form.Set(randomValue(rng, 1+rng.IntN(32)), randomValue(rng, 1+rng.IntN(n)))
	return form.Encode()
}

// attackSlugs floods the server with requests for campaigns that do not
// exist: each client posts random sign forms to random slugs and fetches
// random pages under random slugs, half and half, back to back.
func attackSlugs(ctx context.Context, cfg AttackConfig, t target, trs []http.RoundTripper) (*AttackResult, error) {
	p := &plan{side: "attack", steps: make([]func(*stats), cfg.Clients)}
	var err error
	p.setup, err = setUpClients(cfg.Clients, func(i int) error {
		tr := trs[i%len(trs)]
		c := newClient(tr, cfg.Timeout)
		token, err := csrfToken(ctx, c, t)
		if err != nil {
			return err
		}
		a := &attacker{tr: tr, cookie: cookieHeader(c, t.pageURL()), timeout: cfg.Timeout}
		p.steps[i] = slugger(a, t.base, token, cfg.Len, i)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("setting up the clients: %w", err)
	}
	start := time.Now()
	execute(ctx, cfg.Duration, p)
	res := summariseAttack(p.stats, p.elapsed)
	res.started = start
	res.Kind, res.Clients, res.ValueLen, res.From = "slugs", cfg.Clients, cfg.Len, cfg.From
	res.SetupSeconds = round(p.setup.Seconds(), 3)
	return res, nil
}

// slugger is one client's step: a POST of a random sign form to a random
// slug, or a GET of a random page.
func slugger(a *attacker, base, token string, n, id int) func(*stats) {
	rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(id)))
	buf := make([]byte, 32<<10)
	return func(st *stats) {
		var req *http.Request
		var err error
		if rng.IntN(2) == 0 {
			req, err = http.NewRequest(http.MethodPost, base+randomSignPath(rng, n), strings.NewReader(randomSignForm(rng, n, token)))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
		} else {
			req, err = http.NewRequest(http.MethodGet, base+randomGetPath(rng, n), nil)
		}
		if err != nil {
			// A path the tool made that Go cannot send: the tool's bug,
			// which its tests rule out. Counted, not fatal.
			st.fail("tool: " + err.Error())
			return
		}
		a.send(req, st, buf)
	}
}

// attacker is one attacking client: the shared transport, and the
// cookie its visit before the run was given. Its requests go straight to
// the transport, not through an http.Client, so every answer is counted
// as the server sent it: a client would follow (or fail to parse) a
// redirect's Location, and an attack's made-up paths get odd ones.
type attacker struct {
	tr      http.RoundTripper
	cookie  string
	timeout time.Duration
}

// cookieHeader is the Cookie header c's jar holds for rawURL.
func cookieHeader(c *http.Client, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || c.Jar == nil {
		return ""
	}
	var parts []string
	for _, ck := range c.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// send sends req and records its answer by status (stats.errors holds
// every answer in an attack: it expects refusals).
func (a *attacker) send(req *http.Request, st *stats, buf []byte) {
	ctx, cancel := context.WithTimeout(req.Context(), a.timeout)
	defer cancel()
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Encoding", "gzip") // as in reader: bytes as they came
	if a.cookie != "" {
		req.Header.Set("Cookie", a.cookie)
	}
	begin := time.Now()
	resp, err := a.tr.RoundTrip(req)
	if err != nil {
		st.transport(err)
		return
	}
	if !st.answered(resp, buf, begin) {
		return
	}
	st.errors[strconv.Itoa(resp.StatusCode)]++
}

// loginFormRe finds the sign-in form, as views/login.templ renders it.
var loginFormRe = regexp.MustCompile(`data-testid="login-form"`)

// loginToken fetches /login as a new visitor and returns the token from
// its form; the client's jar now holds the cookie.
func loginToken(ctx context.Context, c *http.Client, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return "", fmt.Errorf("GET %s/login: %w", base, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s/login: %s", base, resp.Status)
	}
	loc := loginFormRe.FindIndex(body)
	if loc == nil {
		return "", fmt.Errorf("GET %s/login: no sign-in form on the page", base)
	}
	m := csrfRe.FindSubmatch(body[loc[1]:])
	if m == nil || len(m[1]) == 0 {
		return "", fmt.Errorf("GET %s/login: no _csrf field in the sign-in form", base)
	}
	return html.UnescapeString(string(m[1])), nil
}

// attackSignIn makes cfg.N sign-in attempts with wrong passwords, from
// cfg.Clients clients at once, each with its own cookie and token
// (fetched before the clock starts), all at one account or each at an
// unknown random email.
func attackSignIn(ctx context.Context, cfg AttackConfig, t target, trs []http.RoundTripper) (*AttackResult, error) {
	clients := make([]*attacker, cfg.Clients)
	tokens := make([]string, cfg.Clients)
	setup, err := setUpClients(cfg.Clients, func(i int) error {
		tr := trs[i%len(trs)]
		c := newClient(tr, cfg.Timeout)
		token, err := loginToken(ctx, c, t.base)
		if err != nil {
			return err
		}
		tokens[i] = token
		clients[i] = &attacker{tr: tr, cookie: cookieHeader(c, t.base+"/login"), timeout: cfg.Timeout}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("setting up the clients: %w", err)
	}
	var wg sync.WaitGroup
	var left atomic.Int64
	left.Store(int64(cfg.N))
	all := make([]*stats, cfg.Clients)
	start := time.Now()
	for i := range clients {
		all[i] = newStats()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(i)))
			buf := make([]byte, 32<<10)
			for ctx.Err() == nil && left.Add(-1) >= 0 {
				email := cfg.Email
				if email == "" {
					email = "attack-" + strconv.FormatUint(rng.Uint64(), 36) + "@example.org"
				}
				form := url.Values{"_csrf": {tokens[i]}, "email": {email}, "password": {"wrong-" + strconv.FormatUint(rng.Uint64(), 36)}, "next": {"/admin"}}
				req, err := http.NewRequest(http.MethodPost, t.base+"/login", strings.NewReader(form.Encode()))
				if err != nil {
					all[i].transport(err)
					continue
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				clients[i].send(req, all[i], buf)
			}
		}()
	}
	wg.Wait()
	res := summariseAttack(all, time.Since(start))
	res.started = start
	res.Kind, res.Clients, res.Email, res.From = "signin", cfg.Clients, cfg.Email, cfg.From
	res.SetupSeconds = round(setup.Seconds(), 3)
	return res, nil
}

// summariseAttack merges the clients' stats.
func summariseAttack(all []*stats, elapsed time.Duration) *AttackResult {
	r := &AttackResult{Statuses: map[string]int64{}, ElapsedSeconds: round(elapsed.Seconds(), 3)}
	var lat []time.Duration
	for _, st := range all {
		r.Requests += st.requests
		lat = append(lat, st.latencies...)
		for k, v := range st.errors {
			r.Statuses[k] += v
		}
		for _, m := range st.samples {
			if len(r.TransportErrorSamples) < 5 && !slices.Contains(r.TransportErrorSamples, m) {
				r.TransportErrorSamples = append(r.TransportErrorSamples, m)
			}
		}
	}
	if s := elapsed.Seconds(); s > 0 {
		r.RequestRate = round(float64(r.Requests)/s, 1)
	}
	r.Latency = latencies(lat)
	return r
}

// attackHalfOpen opens cfg.N connections from cfg.From that send the
// start of a request line and then nothing, and holds them until
// cfg.Duration has passed since the first was opened. Meanwhile it times
// a GET /healthz every probeEvery from the default local address, each
// on a new connection, as a visitor arriving during the attack would.
func attackHalfOpen(ctx context.Context, cfg AttackConfig, t target, from []net.IP) (*AttackResult, error) {
	u, _ := url.Parse(t.base) // newTarget parsed it already
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	dialers := []*net.Dialer{{Timeout: cfg.Timeout}}
	if len(from) > 0 {
		dialers = make([]*net.Dialer, len(from))
		for i, ip := range from {
			dialers[i] = localDialer(ip, cfg.Timeout)
		}
	}
	start := time.Now()
	hold, cancel := context.WithDeadline(ctx, start.Add(cfg.Duration))
	defer cancel()

	probes := &probeRun{}
	var probing sync.WaitGroup
	probing.Add(1)
	go func() {
		defer probing.Done()
		probes.run(hold, t.base+"/healthz", cfg.Timeout)
	}()

	var (
		next, opened, closed, held atomic.Int64
		mu                         sync.Mutex
		refused                    = map[string]int64{}
		closedAfter                []time.Duration
		watching                   sync.WaitGroup
		dialing                    sync.WaitGroup
	)
	for range min(cfg.N, halfOpenDialers) {
		dialing.Add(1)
		go func() {
			defer dialing.Done()
			for i := next.Add(1); hold.Err() == nil && i <= int64(cfg.N); i = next.Add(1) {
				conn, err := dialers[i%int64(len(dialers))].DialContext(hold, "tcp", host)
				if err != nil {
					mu.Lock()
					refused[classify(err)]++
					mu.Unlock()
					continue
				}
				opened.Add(1)
				at := time.Now()
				// Ours to close at the end of the hold; if the server closes
				// it first, the read below returns, and stop says who did.
				stop := context.AfterFunc(hold, func() { conn.Close() })
				watching.Add(1)
				go func() {
					defer watching.Done()
					_, _ = conn.Write([]byte(partialRequest))
					_, _ = io.Copy(io.Discard, conn) // until the server or the hold closes it
					if stop() {
						conn.Close()
						closed.Add(1)
						mu.Lock()
						closedAfter = append(closedAfter, time.Since(at))
						mu.Unlock()
					} else {
						held.Add(1)
					}
				}()
			}
		}()
	}
	dialing.Wait()
	openTook := time.Since(start)
	<-hold.Done()
	watching.Wait()
	probing.Wait()
	elapsed := time.Since(start)

	res := &AttackResult{Kind: "halfopen", From: cfg.From, ElapsedSeconds: round(elapsed.Seconds(), 3), Statuses: map[string]int64{}, started: start}
	ho := &HalfOpenResult{Wanted: cfg.N, Hold: cfg.Duration.String(), Opened: opened.Load(), OpenSeconds: round(openTook.Seconds(), 3),
		RefusedByKind: refused, ClosedByServer: closed.Load(), ClosedAfter: latencies(closedAfter), HeldToEnd: held.Load(),
		Probes: probes.result()}
	for _, v := range refused {
		ho.Refused += v
	}
	res.HalfOpen = ho
	res.Requests = ho.Probes.Requests
	res.Latency = ho.Probes.Latency
	return res, nil
}

// probeRun times real requests during a halfopen run.
type probeRun struct {
	mu        sync.Mutex
	path      string
	requests  int64
	ok        int64
	errors    map[string]int64
	samples   []string
	latencies []time.Duration
}

// run starts a probe every probeEvery until ctx ends, each in its own
// goroutine so that a slow answer delays no later probe, and waits for
// them all.
func (p *probeRun) run(ctx context.Context, rawURL string, timeout time.Duration) {
	p.errors = map[string]int64{}
	if u, err := url.Parse(rawURL); err == nil {
		p.path = u.Path
	}
	// A new connection for each probe: a visitor who arrives during the
	// attack has to be accepted first, which is what an attack on the
	// connections could deny.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: timeout}
	tick := time.NewTicker(probeEvery)
	defer tick.Stop()
	var wg sync.WaitGroup
	for {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.probe(c, rawURL)
		}()
		select {
		case <-tick.C:
		case <-ctx.Done():
			wg.Wait()
			return
		}
	}
}

func (p *probeRun) probe(c *http.Client, rawURL string) {
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		p.record(0, 0, err)
		return
	}
	req.Header.Set("User-Agent", userAgent)
	begin := time.Now()
	resp, err := c.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err != nil {
		p.record(0, 0, err)
		return
	}
	p.record(resp.StatusCode, time.Since(begin), nil)
}

func (p *probeRun) record(status int, took time.Duration, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests++
	switch {
	case err != nil:
		p.errors["transport: "+classify(err)]++
		if msg := err.Error(); len(p.samples) < 5 && !slices.Contains(p.samples, msg) {
			p.samples = append(p.samples, msg)
		}
	case status != http.StatusOK:
		p.latencies = append(p.latencies, took)
		p.errors[strconv.Itoa(status)]++
	default:
		p.latencies = append(p.latencies, took)
		p.ok++
	}
}

func (p *probeRun) result() ProbeResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ProbeResult{Path: p.path, Every: probeEvery.String(), Requests: p.requests, OK: p.ok,
		Errors: p.errors, Samples: p.samples, Latency: latencies(p.latencies)}
}

// expected says whether an answer is one the attack may get: anything
// but a 5xx from a flood of made-up addresses; from wrong passwords only
// 401 (checked and wrong), 429 (throttled) and 503 (every hashing slot
// busy).
func (r *AttackResult) expected(kind string) bool {
	code, err := strconv.Atoi(kind)
	if err != nil {
		return false // a transport error, or the tool's own
	}
	if r.Kind == "signin" {
		return code == http.StatusUnauthorized || code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable
	}
	return code < 500
}

// problems lists what the run found wrong with the server.
func (r *AttackResult) problems() []string {
	var out []string
	if r.HalfOpen != nil {
		pr := r.HalfOpen.Probes
		if pr.Requests == 0 {
			out = append(out, "halfopen: no real request was made")
		}
		if bad := pr.Requests - pr.OK; bad > 0 {
			out = append(out, fmt.Sprintf("halfopen: %d of %d real requests failed (%s)", bad, pr.Requests, kinds(pr.Errors)))
		}
		return out
	}
	if r.Requests == 0 {
		out = append(out, r.Kind+": no request completed")
	}
	var n int64
	unexpected := map[string]int64{}
	for k, v := range r.Statuses {
		if !r.expected(k) {
			unexpected[k] = v
			n += v
		}
	}
	if n > 0 {
		want := "answers other than 401, 429 or 503"
		if r.Kind != "signin" {
			want = "5xx answers or failed requests"
		}
		out = append(out, fmt.Sprintf("%s: %d %s in %d requests (%s)", r.Kind, n, want, r.Requests, kinds(unexpected)))
	}
	return out
}

// kinds is "500: 3, transport: timeout: 1", in order.
func kinds(m map[string]int64) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// writeAttack prints an attack's side of the report.
func writeAttack(w io.Writer, a *AttackResult) {
	fmt.Fprintln(w)
	switch a.Kind {
	case "slugs":
		fmt.Fprintf(w, "attack slugs: %d clients, POST /campaigns/RANDOM/sign with random forms and GET random pages under /campaigns/RANDOM, slugs of %d bytes, values up to %d; setup (one page and token per client, not timed below) %.2fs\n",
			a.Clients, a.ValueLen, a.ValueLen, a.SetupSeconds)
	case "signin":
		who := "an unknown random email each time"
		if a.Email != "" {
			who = "one account, " + a.Email
		}
		fmt.Fprintf(w, "attack signin: %d clients, wrong passwords for %s; setup (one /login and token per client, not timed below) %.2fs\n", a.Clients, who, a.SetupSeconds)
	case "halfopen":
		from := "the default local address"
		if a.From != "" {
			from = a.From
		}
		fmt.Fprintf(w, "attack halfopen: %d connections from %s sending %q and nothing more, held %s\n", a.HalfOpen.Wanted, from, partialRequest, a.HalfOpen.Hold)
	}
	if a.From != "" && a.Kind != "halfopen" {
		fmt.Fprintf(w, "  from             %s\n", a.From)
	}
	fmt.Fprintf(w, "  elapsed          %.2fs\n", a.ElapsedSeconds)
	if ho := a.HalfOpen; ho != nil {
		fmt.Fprintf(w, "  opened           %d in %.2fs\n", ho.Opened, ho.OpenSeconds)
		fmt.Fprintf(w, "  refused          %d\n", ho.Refused)
		for _, k := range slices.Sorted(maps.Keys(ho.RefusedByKind)) {
			fmt.Fprintf(w, "    %-28s %d\n", k, ho.RefusedByKind[k])
		}
		c := ho.ClosedAfter
		fmt.Fprintf(w, "  closed by server %d (after p50 %.2fms  p90 %.2fms  max %.2fms)\n", ho.ClosedByServer, c.P50, c.P90, c.Max)
		fmt.Fprintf(w, "  held to the end  %d\n", ho.HeldToEnd)
		pr := ho.Probes
		fmt.Fprintf(w, "  real requests    %d GET %s, one every %s on a new connection from the default address: %d OK\n", pr.Requests, pr.Path, pr.Every, pr.OK)
		for _, k := range slices.Sorted(maps.Keys(pr.Errors)) {
			fmt.Fprintf(w, "    %-28s %d\n", k, pr.Errors[k])
		}
		for _, m := range pr.Samples {
			fmt.Fprintf(w, "    e.g. %s\n", m)
		}
		l := pr.Latency
		fmt.Fprintf(w, "  latency          p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms  (%d responses)\n", l.P50, l.P90, l.P99, l.Max, l.Samples)
		return
	}
	fmt.Fprintf(w, "  requests         %d\n", a.Requests)
	fmt.Fprintf(w, "  answers\n")
	for _, k := range slices.Sorted(maps.Keys(a.Statuses)) {
		fmt.Fprintf(w, "    %-28s %d\n", k, a.Statuses[k])
	}
	for _, m := range a.TransportErrorSamples {
		fmt.Fprintf(w, "    e.g. %s\n", m)
	}
	fmt.Fprintf(w, "  throughput       %.1f requests/s\n", a.RequestRate)
	l := a.Latency
	fmt.Fprintf(w, "  latency          p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms  (%d responses)\n", l.P50, l.P90, l.P99, l.Max, l.Samples)
}
