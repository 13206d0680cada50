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

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"serve", "run the web server (the default when no subcommand is given)", serve},
		{"migrate", "bring the database schema up to date and exit", migrate},
		{"seed", "load the demo campaign (#NoTechForICE) into the database unless it is there", loadSeed},
		{"users", "manage organiser accounts; campaigntrack users help lists the verbs", usersCommand},
		{"signatures", "import, export and recount signatures; campaigntrack signatures help lists the verbs", signaturesCommand},
		{"deliveries", "import and export a campaign's deliveries as CSV; campaigntrack deliveries help lists the verbs", deliveriesCommand},
		{"backup", "copy the SQLite database, while it runs, to a checked file: backup [--force] FILE", backupCommand},
		{"restore", "check a backup file; with --yes put it in place of the database (stop the server first)", restoreCommand},
		{"help", "show this help", func(_ context.Context, env Env, _ []string) error { usage(env.Stdout); return nil }},
	}
}

// Run runs the command line args (without the program name) and returns
// the process exit code. Errors are printed as one line on Stderr.
func Run(ctx context.Context, args []string, env Env) int {
	name := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "-h" || a == "-help" || a == "--help":
			usage(env.Stdout)
			return 0
		case !strings.HasPrefix(a, "-"):
			name, args = a, args[1:]
		}
	}
	for _, cmd := range commands {
		if cmd.name != name {
			continue
		}
		err := cmd.run(ctx, env, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		default:
			fmt.Fprintf(env.Stderr, "campaigntrack %s: %s\n", name, err)
			var coded interface{ ExitCode() int }
			if errors.As(err, &coded) {
				return coded.ExitCode()
			}
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "campaigntrack: unknown command %q; run campaigntrack --help for the list\n", name)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `campaigntrack: track a protest campaign's petition, deliveries, responses and actions.

Usage:
  campaigntrack [command] [flags]

Commands:
`)
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, "\nFlags (every command; a flag wins over its environment variable):\n")
	for _, s := range config.Settings {
		fmt.Fprintf(w, "  --%-10s %-24s %s (default %q)\n", s.Flag, s.Env, s.Usage, s.Default)
	}
	fmt.Fprint(w, "\nRun campaigntrack COMMAND --help for one command's flags.\n")
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// openCommandStore opens and migrates the database for a command that
// logs to the command's standard error.
func openCommandStore(ctx context.Context, env Env, cfg config.Config) (*models.Store, error) {
	return openStore(ctx, cfg, newLogger(env.Stderr, cfg.LogLevel))
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*models.Store, error) {
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
	store, err := openStore(ctx, cfg, log)
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
	defer afterCrash(ctx, store, log)() // sweeps what a crash left; lets the instance lock go on return

	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}
	hs := handlers.New(store, log, cfg)
	defer hs.Close()
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
	store, err := openCommandStore(ctx, env, cfg)
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
	store, err := openCommandStore(ctx, env, cfg)
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
