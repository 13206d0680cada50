package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
)

// usersVerbs are the verbs of campaigntrack users.
var usersVerbs = newVerbSet("users", "Manage organiser accounts.", usersNotes,
	verb{name: "list", summary: "list every account: email, role, status, last sign-in, created", run: usersList},
	verb{name: "add", flags: "--email E --role R", summary: "create an account; its password is the first line of standard input", run: usersAdd},
	verb{name: "set-password", flags: "--email E", summary: "change an account's password (from standard input) and end its sessions", run: usersSetPassword},
	verb{name: "disable", flags: "--email E", summary: "stop an account signing in and end its sessions", run: usersDisable},
	verb{name: "enable", flags: "--email E", summary: "let a disabled account sign in again", run: usersEnable},
	verb{name: "set-role", flags: "--email E --role R", summary: "change an account's role", run: usersSetRole},
)

var usersNotes = fmt.Sprintf(`
Roles: admin (manages users and everything else), organiser (edits campaign
records, exports signer data), viewer (reads the admin area only).

A password is at least %d characters and is read from the first line of
standard input, so it stays out of the shell history and the process list:
  %s

Every verb also takes --db (CAMPAIGNTRACK_DB) and the other flags listed by
campaigntrack --help. Changes are recorded in the audit log as "(command line)".
`, models.MinPasswordLength, pipeExample)

// pipeExample shows how to add the first admin.
const pipeExample = `printf '%s\n' "$PW" | campaigntrack users add --email you@example.org --role admin`

// usersFlags are a verb's own flags; nil when the verb has no such flag.
type usersFlags struct {
	email, role *string
}

// parseUsersFlags parses a verb's flags along with the common settings,
// and checks that --email and --role (when the verb takes them) are given
// and --role names a role.
func parseUsersFlags(verb string, env Env, args []string, withEmail, withRole bool) (config.Config, usersFlags, error) {
	var f usersFlags
	cfg, err := config.ParseWith("users "+verb, args, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		if withEmail {
			f.email = fs.String("email", "", "the account's email address (required)")
		}
		if withRole {
			f.role = fs.String("role", "", "the account's role: "+strings.Join(models.Roles, ", ")+" (required)")
		}
	})
	if err != nil {
		return cfg, f, err
	}
	if withEmail {
		*f.email = models.NormaliseEmail(*f.email)
		if *f.email == "" {
			return cfg, f, errors.New("--email is required")
		}
	}
	if withRole {
		*f.role = strings.ToLower(strings.TrimSpace(*f.role))
		switch {
		case *f.role == "":
			return cfg, f, fmt.Errorf("--role is required: one of %s", strings.Join(models.Roles, ", "))
		case !slices.Contains(models.Roles, *f.role):
			return cfg, f, fmt.Errorf("--role %q is not a role: use one of %s", *f.role, strings.Join(models.Roles, ", "))
		}
	}
	return cfg, f, nil
}

// readPassword reads the password from the first line of r, without its
// line ending. example is a command line that pipes one in.
func readPassword(r io.Reader, example string) (string, error) {
	missing := fmt.Errorf("no password on standard input: pipe it in, e.g. printf '%%s\\n' \"$PW\" | %s", example)
	if r == nil {
		return "", missing
	}
	// A terminal would echo the password as it is typed; /dev/null has none.
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return "", missing
		}
	}
	// Far beyond the longest password the Store accepts, which it refuses
	// with a message of its own.
	line, err := bufio.NewReader(io.LimitReader(r, 8192)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	if pw, ok := strings.CutSuffix(line, "\n"); ok {
		line = strings.TrimSuffix(pw, "\r")
	}
	if line == "" {
		return "", missing
	}
	if err := models.CheckPasswordStrength(line); err != nil {
		return "", err
	}
	return line, nil
}

// explain turns the Store's refusals into one line for the command line.
func explain(err error) error {
	var fe models.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	names := map[string]string{"email": "--email", "role": "--role", "password": "password"}
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := names[k]
		if name == "" {
			name = k
		}
		parts[i] = name + ": " + fe[k]
	}
	return errors.New(strings.Join(parts, "; "))
}

func findUser(ctx context.Context, store *models.Store, email string) (*models.User, error) {
	u, err := store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return nil, fmt.Errorf("no user with email %s", email)
	}
	return u, err
}

func usersAdd(ctx context.Context, env Env, args []string) error {
	cfg, f, err := parseUsersFlags("add", env, args, true, true)
	if err != nil {
		return err
	}
	if msg := models.CheckEmail(*f.email); msg != "" {
		return fmt.Errorf("--email %q: %s", *f.email, msg)
	}
	pw, err := readPassword(env.Stdin, fmt.Sprintf("campaigntrack users add --email %s --role %s", *f.email, *f.role))
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, models.CommandLine, *f.email, *f.role, pw)
	if err != nil {
		return fmt.Errorf("cannot add %s: %w", *f.email, explain(err))
	}
	fmt.Fprintf(env.Stdout, "created %s %s\n", u.Role, u.Email)
	return nil
}

func usersList(ctx context.Context, env Env, args []string) error {
	cfg, _, err := parseUsersFlags("list", env, args, false, false)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	users, err := store.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintf(env.Stdout, "no accounts yet; add the first admin with: %s\n", pipeExample)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tSTATUS\tLAST SIGN-IN\tCREATED")
	for _, u := range users {
		status, last := "active", "never"
		if u.Disabled {
			status = "disabled"
		}
		if u.LastLoginAt != nil {
			last = u.LastLoginAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, status, last, u.CreatedAt.UTC().Format(time.DateOnly))
	}
	return tw.Flush()
}

func usersSetPassword(ctx context.Context, env Env, args []string) error {
	cfg, f, err := parseUsersFlags("set-password", env, args, true, false)
	if err != nil {
		return err
	}
	pw, err := readPassword(env.Stdin, "campaigntrack users set-password --email "+*f.email)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := findUser(ctx, store, *f.email)
	if err != nil {
		return err
	}
	if err := store.SetPassword(ctx, models.CommandLine, u.ID, pw); err != nil {
		return fmt.Errorf("cannot change the password of %s: %w", u.Email, explain(err))
	}
	fmt.Fprintf(env.Stdout, "changed the password of %s; their existing sessions were ended\n", u.Email)
	return nil
}

func usersDisable(ctx context.Context, env Env, args []string) error {
	return setDisabled(ctx, env, args, true)
}

func usersEnable(ctx context.Context, env Env, args []string) error {
	return setDisabled(ctx, env, args, false)
}

func setDisabled(ctx context.Context, env Env, args []string, disabled bool) error {
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	cfg, f, err := parseUsersFlags(verb, env, args, true, false)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := findUser(ctx, store, *f.email)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		fmt.Fprintf(env.Stdout, "%s is already %sd; nothing changed\n", u.Email, verb)
		return nil
	}
	if err := store.SetDisabled(ctx, models.CommandLine, u.ID, disabled); err != nil {
		return fmt.Errorf("cannot %s %s: %w", verb, u.Email, explain(err))
	}
	if disabled {
		fmt.Fprintf(env.Stdout, "disabled %s; their existing sessions were ended\n", u.Email)
	} else {
		fmt.Fprintf(env.Stdout, "enabled %s; they can sign in again\n", u.Email)
	}
	return nil
}

func usersSetRole(ctx context.Context, env Env, args []string) error {
	cfg, f, err := parseUsersFlags("set-role", env, args, true, true)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := findUser(ctx, store, *f.email)
	if err != nil {
		return err
	}
	if u.Role == *f.role {
		fmt.Fprintf(env.Stdout, "%s is already %s; nothing changed\n", u.Email, u.Role)
		return nil
	}
	if err := store.SetRole(ctx, models.CommandLine, u.ID, *f.role); err != nil {
		return fmt.Errorf("cannot make %s %s: %w", u.Email, *f.role, explain(err))
	}
	fmt.Fprintf(env.Stdout, "%s is now %s (was %s)\n", u.Email, *f.role, u.Role)
	return nil
}
