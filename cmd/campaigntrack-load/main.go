// Command campaigntrack-load puts a running campaigntrack server under
// load (signing, reading, or both at once) and reports what it saw; it
// also writes CSV files of fake signatures for the importer.
//
// Run campaigntrack-load -h for the subcommands, and
// campaigntrack-load SUBCOMMAND -h for each one's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const usage = `campaigntrack-load puts a live campaigntrack server under load and reports
what it saw, or writes fake signatures for the importer.

Usage:
  campaigntrack-load sign  [flags]   concurrent browsers sign the petition
  campaigntrack-load read  [flags]   concurrent browsers fetch the campaign page
  campaigntrack-load mixed [flags]   readers and (rate-capped) signers at once
  campaigntrack-load gen   [flags]   write a CSV of unique fake signatures
  campaigntrack-load attack -kind K  flood the server as an opponent would:
                                     slugs, signin or halfopen
  campaigntrack-load hello [flags]   serve Echo's hello-world, the yardstick
                                     the page targets are measured against
  campaigntrack-load SUBCOMMAND -h   the subcommand's flags

Start the server with the signing rate limit off, or signers get 429s:
  campaigntrack serve --db /tmp/load.db --addr 127.0.0.1:18181 --sign-rate-limit off

Examples:
  campaigntrack-load sign  -url http://127.0.0.1:18181 -campaign no-tech-for-ice -c 64 -d 60s
  campaigntrack-load read  -url http://127.0.0.1:18181 -campaign no-tech-for-ice -c 50 -d 30s
  campaigntrack-load mixed -url http://127.0.0.1:18181 -read-c 50 -sign-c 16 -sign-rate 1000 -d 30s
  campaigntrack-load gen   -n 300000 -o signatures.csv -seed 1
  campaigntrack-load attack -kind slugs -url http://127.0.0.1:18181 -c 32 -d 60s -len 2000
  campaigntrack-load attack -kind signin -url http://127.0.0.1:18181 -c 100 -n 300
  campaigntrack-load attack -kind halfopen -url http://127.0.0.1:18181 -n 3000 -from 127.0.0.2 -d 5s

sign, read and mixed run for -d from the first request (no warm-up), then
print a report: the Go version, GOMAXPROCS and command line; per side the
requests, successes, errors by HTTP status and transport error, throughput
(successes a second over the elapsed time), and latency p50/p90/p99/max
(send to last byte of the answer, every answered request, exact: every
latency is kept and sorted). For signing it also reads signature_count from
GET /api/campaigns/{slug} before and after, and checks that it moved by
exactly the number of signatures the server accepted; nobody else should be
signing that petition during the run. -json prints the report as one JSON
object too, after the text.

-url takes several base URLs, comma-separated, to load instances of one
database at once: client i uses the (i mod n)th URL for the whole run, the
report gives each URL's successes too, and the count is read from every URL
(they must agree). -ack FILE (sign, mixed) writes the email of every
signature the server acknowledged, one a line, once its answer has been read
in full; it is written out every 50 ms and at exit, so a crash test can check
that every acknowledged signature was kept.

An attack (see campaigntrack-load attack -h) expects refusals: it reports
every answer by status, and its run has problems only when the server
answers as it never should (a 5xx to a made-up address, a 500 to a wrong
password, a real request not served during a halfopen run).

A server that goes away mid-run (connection refused, reset or closed) is
counted as errors of that kind, not a reason to stop; each client then waits
10 ms before its next try. A first Ctrl-C (or SIGTERM) stops starting
requests (those in flight finish, the report is printed and the -ack file
completed); a second one kills the tool.

Exit status:
  0  every request succeeded and the count matched (an attack: the server
     answered every request as it should)
  1  the run was made and its report lists problems: a request failed (an
     HTTP error, or a transport error such as a server gone away), the count
     did not match or could not be read after the run, an attack got an
     answer it should not have, or the run was interrupted
  2  usage error (flags, -url, -campaign)
  3  the tool failed itself: it could not start the run (the server did not
     answer, no sign form or token, the -ack file could not be created), or
     could not write the -ack file in full
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal kills the process
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "sign":
		return runSign(ctx, rest, stdout, stderr)
	case "read":
		return runRead(ctx, rest, stdout, stderr)
	case "mixed":
		return runMixed(ctx, rest, stdout, stderr)
	case "gen":
		return runGen(rest, stdout, stderr)
	case "attack":
		return runAttack(ctx, rest, stdout, stderr)
	case "hello":
		return runHello(ctx, rest, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "campaigntrack-load: unknown subcommand %q\n\n%s", sub, usage)
		return 2
	}
}

// common are the flags sign, read and mixed share.
type common struct {
	url, campaign string
	duration      time.Duration
	timeout       time.Duration
	json          bool
}

func newFlagSet(name, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: campaigntrack-load %s [flags]\n\n%s\nFlags:\n", name, about)
		fs.PrintDefaults()
	}
	return fs
}

func (c *common) define(fs *flag.FlagSet, d time.Duration) {
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base `URL` of the running server; several, comma-separated, share the clients round-robin (client i uses the (i mod n)th)")
	fs.StringVar(&c.campaign, "campaign", "no-tech-for-ice", "campaign `slug`")
	fs.DurationVar(&c.duration, "d", d, "how long to run, from the first request (no warm-up)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up on one request after this long (counted as a transport error)")
	fs.BoolVar(&c.json, "json", false, "print the report as one JSON object too, after the text")
}

// parse parses args, and returns the exit status to stop with, or -1.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "campaigntrack-load %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2
	}
	return -1
}

const signAbout = `Each of -c clients is its own browser, with its own cookie jar: it GETs the
campaign page once for its CSRF cookie and token (before the clock starts),
then POSTs the sign form back to back, each time with a new email
(load-RUN-CLIENT-N@example.org) and a name, US city, state and ZIP from a
small list. Redirects are not followed: a signature counts as a success
when the answer is 303 to /campaigns/SLUG/signed. Anything else is an
error: 422 (form refused), 403 (CSRF), 429 (rate limit on: start the
server with --sign-rate-limit off), 503 (storage failed), transport errors.
After the run, signature_count from the JSON API must have moved by exactly
the number of successes: the server thanks a repeated signature as it
thanks a new one, so the count is what tells them apart (the emails are
unique, so there should be none). With -ack FILE, the email of each success is
written to FILE, one a line, after its answer was read.
`

func runSign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sign", signAbout, stderr)
	var c common
	c.define(fs, 60*time.Second)
	clients := fs.Int("c", 64, "concurrent clients (browsers)")
	rate := fs.Float64("rate", 0, "cap on signatures a second across all clients; 0 for as fast as they go")
	ack := fs.String("ack", "", "write the email of every acknowledged signature to `FILE`, one a line")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	rep, err := RunSign(ctx, SignConfig{URL: c.url, Campaign: c.campaign, Clients: *clients, Duration: c.duration, Rate: *rate, Timeout: c.timeout, AckFile: *ack}, nil)
	return finish(rep, err, c.json, stdout, stderr)
}

const readAbout = `Each of -c clients is its own browser, with its own cookie jar, and GETs
-path back to back, reading every answer to the end. A 200 is a success;
any other status, and any transport error, is an error.
`

func runRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("read", readAbout, stderr)
	var c common
	c.define(fs, 30*time.Second)
	clients := fs.Int("c", 50, "concurrent clients (browsers)")
	path := fs.String("path", "/campaigns/{slug}", "`path` to fetch; {slug} is replaced by -campaign")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	rep, err := RunRead(ctx, ReadConfig{URL: c.url, Campaign: c.campaign, Path: *path, Clients: *clients, Duration: c.duration, Timeout: c.timeout}, nil)
	return finish(rep, err, c.json, stdout, stderr)
}

const mixedAbout = `Runs the read and sign scenarios at once, from the same start, over one
shared connection pool, and reports each side separately (see
campaigntrack-load sign -h and read -h for what each side does and counts).
The signers are capped at -sign-rate signatures a second between them, so
the readers see the page under a steady stream of signatures.
`

func runMixed(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("mixed", mixedAbout, stderr)
	var c common
	c.define(fs, 30*time.Second)
	readC := fs.Int("read-c", 50, "concurrent reading clients")
	signC := fs.Int("sign-c", 16, "concurrent signing clients")
	signRate := fs.Float64("sign-rate", 1000, "cap on signatures a second across the signing clients; 0 for as fast as they go")
	path := fs.String("path", "/campaigns/{slug}", "`path` the readers fetch; {slug} is replaced by -campaign")
	ack := fs.String("ack", "", "write the email of every acknowledged signature to `FILE`, one a line")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	rep, err := RunMixed(ctx,
		ReadConfig{URL: c.url, Campaign: c.campaign, Path: *path, Clients: *readC, Duration: c.duration, Timeout: c.timeout},
		SignConfig{URL: c.url, Campaign: c.campaign, Clients: *signC, Duration: c.duration, Rate: *signRate, Timeout: c.timeout, AckFile: *ack},
		nil)
	return finish(rep, err, c.json, stdout, stderr)
}

const attackAbout = `Floods the server as an opponent would, to show that it stays bounded
(watch its memory, open files and log while this runs). -kind picks the
attack:

  slugs     -c clients, each with the CSRF cookie and token of one visit
            to -campaign's page (before the clock starts), for -d as fast
            as they go: half POST /campaigns/RANDOM/sign with a form of
            random values, half GET a random page under /campaigns/RANDOM
            (the campaign's pages, a made-up one, /api/campaigns/RANDOM),
            half of those with a random query. Every request has a new
            random slug of -len bytes (escaped as a URL needs); each form
            value and query value is 1 to -len bytes, so bodies range from
            small to past the server's limit. Values mix letters with
            characters a URL must escape, multi-byte UTF-8, control
            characters and bytes that are not UTF-8. A 4xx is the answer
            to expect; a 5xx or a failed request is a problem.
  signin    -n sign-in attempts with wrong passwords, -c at once: each
            client fetches /login once for its cookie and token (before
            the clock starts), then posts. -email attacks one account;
            without it, every attempt is at a new unknown email. 401
            (checked, wrong), 429 (throttled) and 503 (every hashing slot
            busy) are the answers to expect; anything else is a problem.
  halfopen  opens -n TCP connections (from the local addresses -from, such
            as 127.0.0.2, when given) that send "GET /healthz HTTP/1.1" and
            nothing more, and holds them until -d has passed since the
            first was opened. Meanwhile it times a GET /healthz every
            200ms, each on a new connection from the default local
            address, as a visitor arriving during the attack. It reports
            how many connections opened, were refused, were closed by the
            server (and how soon) or held to the end, and the real
            requests' answers and latency; a real request that fails is a
            problem.

-from makes slugs' and signin's connections come from those local
addresses too. With several, comma-separated, client i (for halfopen,
connection i) uses the (i mod n)th: an attack from many clients at once.
On Linux every 127.x.y.z is this machine, so -from 127.0.0.2 is a second
client to a server on 127.0.0.1, and -from 127.0.0.2,127.0.0.3 two more.
`

func runAttack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("attack", attackAbout, stderr)
	var cfg AttackConfig
	var asJSON bool
	fs.StringVar(&cfg.Kind, "kind", "", "the attack: `slugs`, signin or halfopen")
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "base `URL` of the running server")
	fs.StringVar(&cfg.Campaign, "campaign", "no-tech-for-ice", "slugs: the campaign `slug` whose page gives the clients their CSRF token")
	fs.IntVar(&cfg.Clients, "c", 32, "slugs, signin: concurrent clients")
	fs.DurationVar(&cfg.Duration, "d", 30*time.Second, "slugs: how long to run; halfopen: how long to hold the connections, from the first")
	fs.IntVar(&cfg.N, "n", 300, "signin: attempts in all; halfopen: connections to open")
	fs.IntVar(&cfg.Len, "len", 40, fmt.Sprintf("slugs: bytes in each random slug, and the most in each random value (at most %d)", maxValueLen))
	fs.StringVar(&cfg.Email, "email", "", "signin: the one account's `email`; empty for a new unknown email each attempt")
	fs.StringVar(&cfg.From, "from", "", "local `IP` addresses the attack's connections come from, comma-separated (client i uses the (i mod n)th); empty for the system's choice")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "give up on one request (or connection attempt) after this long")
	fs.BoolVar(&asJSON, "json", false, "print the report as one JSON object too, after the text")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	rep, err := RunAttack(ctx, cfg)
	return finish(rep, err, asJSON, stdout, stderr)
}

// Exit statuses; the usage text says what each means.
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
	exitTool     = 3
)

// finish prints the report and picks the exit status: the tool's own
// failures (3) apart from what the run found at the server (1), so a
// script, or a crash test, can tell "the server went away" from "the
// tool broke".
func finish(rep *Report, err error, asJSON bool, stdout, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintf(stderr, "campaigntrack-load: %v\n", err)
		if errors.As(err, new(usageError)) {
			return exitUsage
		}
		return exitTool
	}
	rep.WriteText(stdout)
	if asJSON {
		if err := rep.WriteJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "campaigntrack-load: %v\n", err)
			return exitTool
		}
	}
	switch {
	case rep.AckFailed():
		return exitTool
	case !rep.OK:
		return exitProblems
	}
	return exitOK
}

const genAbout = `Writes -n unique fake signatures as CSV for the signature importer, with the
header first_name,last_name,email,city,state,zip,country,created_at.
Emails are first.last.N@example.org (N is the row number, so every email is
unique); cities, states and ZIPs come from a small US list; created_at is
RFC 3339 in UTC, spread at random over the 30 days before -end. No name
starts with = + - or @. The same -seed and -end give the same file.
`

func runGen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen", genAbout, stderr)
	n := fs.Int("n", 300000, "number of signatures (rows after the header)")
	out := fs.String("o", "signatures.csv", "output `file`; - for standard output")
	seed := fs.Uint64("seed", 1, "random seed")
	endFlag := fs.String("end", "", "latest created_at, RFC 3339 (default: now)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	end := time.Now()
	if *endFlag != "" {
		t, err := time.Parse(time.RFC3339, *endFlag)
		if err != nil {
			fmt.Fprintf(stderr, "campaigntrack-load gen: -end %q: want RFC 3339, such as 2025-01-31T00:00:00Z\n", *endFlag)
			return 2
		}
		end = t
	}
	if *n < 0 {
		fmt.Fprintf(stderr, "campaigntrack-load gen: -n %d: want 0 or more\n", *n)
		return 2
	}
	started := time.Now()
	var w io.Writer = stdout
	var f *os.File
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintf(stderr, "campaigntrack-load gen: %v\n", err)
			return 1
		}
		w = f
	}
	err := Generate(w, GenConfig{N: *n, Seed: *seed, End: end})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "campaigntrack-load gen: %v\n", err)
		return 1
	}
	if f != nil {
		fmt.Fprintf(stderr, "wrote %d signatures to %s in %s\n", *n, *out, time.Since(started).Round(time.Millisecond))
	}
	return 0
}
