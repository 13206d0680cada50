// Package cli is the campaigntrack command: it reads the subcommand and
// its flags, and wires config, database, store and handlers together.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
)

// Env is what a run of the command sees of the outside world, so tests can
// run it in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, is called with the address the server listens on.
	Ready func(addr string)
}

// program is the table of campaigntrack's commands (see runner.go).
var program *verbSet

func init() {
	program = &verbSet{path: "campaigntrack", intro: programIntro, notes: programNotes()}
	program.verbs = []verb{
		{name: "serve", summary: "run the web server (the default when no subcommand is given)", run: serve},
		{name: "migrate", summary: "bring the database schema up to date and exit", run: migrate},
		{name: "seed", summary: "load the demo campaign (#NoTechForICE) into the database unless it is there", run: loadSeed},
		{name: "users", summary: "manage organiser accounts; campaigntrack users help lists the verbs", sub: usersVerbs},
		{name: "signatures", summary: "import, export and recount signatures; campaigntrack signatures help lists the verbs", sub: signaturesVerbs},
		{name: "deliveries", summary: "import and export a campaign's deliveries as CSV; campaigntrack deliveries help lists the verbs", sub: deliveriesVerbs},
		{name: "backup", summary: "copy the SQLite database, while it runs, to a checked file: backup [--force] FILE", run: backupCommand},
		{name: "restore", summary: "check a backup file; with --yes put it in place of the database (stop the server first)", run: restoreCommand},
		program.helpVerb(),
	}
}

const programIntro = `campaigntrack: track a protest campaign's petition, deliveries, responses and actions.

Usage:
  campaigntrack [command] [flags]

Commands:
`

// programNotes lists the settings every command takes.
func programNotes() string {
	var b strings.Builder
	b.WriteString("\nFlags (every command; a flag wins over its environment variable):\n")
	for _, s := range config.Settings {
		fmt.Fprintf(&b, "  --%-10s %-24s %s (default %q)\n", s.Flag, s.Env, s.Usage, s.Default)
	}
	b.WriteString("\nRun campaigntrack COMMAND --help for one command's flags.\n")
	return b.String()
}

// Run runs the command line args (without the program name) and returns
// the process exit code. Errors are printed as one line on Stderr.
func Run(ctx context.Context, args []string, env Env) int {
	name := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case isHelpFlag(a):
			program.usage(env.Stdout)
			return 0
		case !strings.HasPrefix(a, "-"):
			name, args = a, args[1:]
		}
	}
	cmd, ok := program.find(name)
	if !ok {
		fmt.Fprintf(env.Stderr, "campaigntrack: unknown command %q; run campaigntrack --help for the list\n", name)
		return 2
	}
	err := cmd.exec(ctx, env, args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(env.Stderr, "campaigntrack %s: %s\n", name, err)
	var coded interface{ ExitCode() int }
	if errors.As(err, &coded) {
		return coded.ExitCode()
	}
	return 1
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// loadDemoOnFirstStart loads the demo campaign the first time a server
// starts on a database that holds no campaign, unless --seed none. "First"
// is recorded in the database, so a later restart never brings the demo
// back, whatever --seed says then, and a database prepared beforehand
// (say, by users add) still gets it on its first serve.
func loadDemoOnFirstStart(ctx context.Context, store *models.Store, cfg config.Config, log *slog.Logger) error {
	first, err := store.Once(ctx, "first_serve")
	if err != nil || !first || cfg.Seed != "demo" {
		return err
	}
	if n, err := store.CountCampaigns(ctx); err != nil || n > 0 {
		return err
	}
	if _, err := seed.Load(ctx, store); err != nil {
		return fmt.Errorf("loading the demo campaign: %w", err)
	}
	log.Info("first start: loaded the demo campaign", "slug", "no-tech-for-ice")
	return nil
}

func serve(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("serve", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := loadDemoOnFirstStart(ctx, store, cfg, log); err != nil {
		return err
	}
	if n, err := store.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		fmt.Fprintf(env.Stderr, "%s\n", `No organiser accounts yet. Create the first admin with: printf '%s\n' "$PASSWORD" | campaigntrack users add --email you@example.org --role admin   (a password of at least 12 characters), then sign in at /login`)
	}
	go pruneExpired(ctx, store, log)
	release, alone := afterCrash(ctx, store, log) // sweeps what a crash left
	defer release()                               // lets the instance lock go on return

	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}
	hs := handlers.New(store, log, cfg)
	if !cfg.FakeNow.IsZero() {
		log.Warn("--fake-now is set: the pages' clock started at a made-up instant, for tests only", "fake_now", cfg.FakeNow.Format(time.RFC3339))
	}
	defer hs.Close()
	// The outbox's sender: it stops with ctx, after the message under way,
	// and before the database closes.
	if cfg.Mailing() {
		log.Info("mail goes to the SMTP server", "smtp", cfg.SMTP.String(), "from", cfg.MailFrom.Email)
	} else {
		log.Info("no --smtp-url: mail to signers is kept in the outbox (Mail, in the admin) and never sent")
	}
	sent := make(chan struct{})
	go func() { hs.Mail().Run(ctx, alone); close(sent) }()
	defer func() { <-sent }()
	e := hs.Router()
	ln, err := hs.Listen(cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	srv := hs.Server(e)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "db", dbName(cfg.DB))
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func migrate(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("migrate", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(env.Stdout, "schema at version %d\n", models.SchemaVersion())
	return nil
}

func loadSeed(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("seed", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	created, err := seed.Load(ctx, store)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(env.Stdout, "loaded the demo campaign: /campaigns/no-tech-for-ice")
	} else {
		fmt.Fprintln(env.Stdout, "the demo campaign is already there; nothing changed")
	}
	return nil
}

func dbName(dsn string) string {
	if models.IsPostgresURL(dsn) {
		return "postgresql"
	}
	return dsn
}

// pruneExpired deletes expired sessions and old sign-in attempts every ten
// minutes until ctx ends. Any instance may do it; the deletes are
// idempotent.
func pruneExpired(ctx context.Context, store *models.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := store.PruneExpired(ctx); err != nil && ctx.Err() == nil {
				log.Error("pruning expired sessions failed", "error", err)
			}
		}
	}
}

// servePprof serves Go's profiler on its own listener, apart from the
// application's router and its middleware.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Warn("profiler listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("profiler stopped", "error", err)
	}
}
