package cli_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"campaigntrack/cli"
	"campaigntrack/models"
)

const (
	adminPW = "correct horse battery"
	otherPW = "staple in the petition box"
)

// runWithStdin is run with stdin as standard input.
func runWithStdin(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, stdout.String(), stderr.String()}
}

// usersDB returns a function that runs campaigntrack users VERB ... --db
// on a new SQLite file, and the file's path.
func usersDB(t *testing.T) (func(stdin string, args ...string) result, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "users.db")
	return func(stdin string, args ...string) result {
		t.Helper()
		return runWithStdin(t, nil, stdin, append(append([]string{"users"}, args...), "--db", db, "--log-level", "warn")...)
	}, db
}

// openStore opens the database the command wrote, as the server would.
func openStore(t *testing.T, db string) *models.Store {
	t.Helper()
	gdb, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(gdb)
	t.Cleanup(func() { store.Close() })
	return store
}

func authenticate(t *testing.T, db, email, password string) error {
	t.Helper()
	_, err := openStore(t, db).Authenticate(context.Background(), email, password)
	return err
}

// mustSucceed fails the test unless r exited 0 with stdout containing want.
func mustSucceed(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != 0 || !strings.Contains(r.stdout, want) || r.stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want success saying %q", r.code, r.stdout, r.stderr, want)
	}
}

// mustFail fails the test unless r exited 1 with one line on stderr
// containing want.
func mustFail(t *testing.T, r result, want string) {
	t.Helper()
	line := strings.TrimSuffix(r.stderr, "\n")
	if r.code != 1 || strings.Contains(line, "\n") || !strings.HasPrefix(line, "campaigntrack users: ") || !strings.Contains(line, want) {
		t.Fatalf("exit %d, stderr %q; want exit 1 and one line containing %q", r.code, r.stderr, want)
	}
}

func TestUsersAddWithPipedPassword(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW+"\n", "add", "--email", " Admin@Example.org ", "--role", "admin"), "created admin admin@example.org\n")
	u, err := openStore(t, db).Authenticate(context.Background(), "admin@example.org", adminPW)
	if err != nil {
		t.Fatalf("Authenticate with the piped password: %v", err)
	}
	if u.Role != models.RoleAdmin || u.Disabled {
		t.Fatalf("created %+v, want an enabled admin", u)
	}
	entries, err := openStore(t, db).AuditForRecord(context.Background(), "user", u.ID)
	if err != nil || len(entries) != 1 || entries[0].UserEmail != models.CommandLine.Email || entries[0].Action != models.AuditCreate {
		t.Fatalf("audit of the new account: %+v, %v; want one create by the command line", entries, err)
	}

	// Only the line ending is stripped: spaces are part of the password,
	// a CRLF ending goes, and only the first line counts.
	spaced := "  spaced out pass phrase  "
	mustSucceed(t, users(spaced+"\r\nsecond line\n", "add", "--email", "spaces@example.org", "--role", "viewer"), "created viewer spaces@example.org")
	if err := authenticate(t, db, "spaces@example.org", spaced); err != nil {
		t.Fatalf("the password keeps its spaces: %v", err)
	}
	if err := authenticate(t, db, "spaces@example.org", strings.TrimSpace(spaced)); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("the trimmed password signs in: %v", err)
	}
	// No line ending at all is fine too.
	mustSucceed(t, users(otherPW, "add", "--email", "organiser@example.org", "--role", "organiser"), "created organiser organiser@example.org")
	if err := authenticate(t, db, "organiser@example.org", otherPW); err != nil {
		t.Fatal(err)
	}
}

func TestUsersAddRefusals(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW+"\n", "add", "--email", "admin@example.org", "--role", "admin"), "created admin")
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"short password", "elevenchars\n", []string{"--email", "new@example.org", "--role", "viewer"}, "at least 12 characters"},
		{"password of spaces", "              \n", []string{"--email", "new@example.org", "--role", "viewer"}, "only spaces"},
		{"bad role", adminPW + "\n", []string{"--email", "new@example.org", "--role", "boss"}, `"boss" is not a role: use one of admin, organiser, viewer`},
		{"no role", adminPW + "\n", []string{"--email", "new@example.org"}, "--role is required"},
		{"no email", adminPW + "\n", []string{"--role", "viewer"}, "--email is required"},
		{"bad email", adminPW + "\n", []string{"--email", "not-an-address", "--role", "viewer"}, "does not look like an email address"},
		{"duplicate email", otherPW + "\n", []string{"--email", "ADMIN@example.org", "--role", "viewer"}, "cannot add admin@example.org: " + models.ErrEmailTaken.Error()},
		{"empty stdin", "", []string{"--email", "new@example.org", "--role", "viewer"}, "no password on standard input: pipe it in, e.g. printf"},
		{"empty first line", "\n" + adminPW + "\n", []string{"--email", "new@example.org", "--role", "viewer"}, "no password on standard input"},
		{"positional argument", adminPW + "\n", []string{"--email", "new@example.org", "--role", "viewer", "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			mustFail(t, users(c.stdin, append([]string{"add"}, c.args...)...), c.want)
		})
	}
	// Nothing was created, and the existing account is as it was.
	all, err := openStore(t, db).Users(context.Background())
	if err != nil || len(all) != 1 || all[0].Role != models.RoleAdmin {
		t.Fatalf("after the refusals: %+v, %v; want just the first admin", all, err)
	}
	if err := authenticate(t, db, "admin@example.org", adminPW); err != nil {
		t.Fatal(err)
	}
}

func TestUsersList(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	r := users("", "list")
	mustSucceed(t, r, "no accounts yet")
	if !strings.Contains(r.stdout, "users add --email you@example.org --role admin") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("empty list: %q; want one line saying how to add the first admin", r.stdout)
	}

	mustSucceed(t, users(adminPW, "add", "--email", "admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users(otherPW, "add", "--email", "viewer@example.org", "--role", "viewer"), "created")
	mustSucceed(t, users("", "disable", "--email", "viewer@example.org"), "disabled")
	if err := authenticate(t, db, "admin@example.org", adminPW); err != nil {
		t.Fatal(err)
	}
	r = users("", "list")
	mustSucceed(t, r, "EMAIL")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("list: %q; want a header and two accounts", r.stdout)
	}
	for _, h := range []string{"EMAIL", "ROLE", "STATUS", "LAST SIGN-IN", "CREATED"} {
		if !strings.Contains(lines[0], h) {
			t.Errorf("header %q lacks %s", lines[0], h)
		}
	}
	admin, viewer := strings.Fields(lines[1]), strings.Fields(lines[2])
	// email role status date time UTC created
	if len(admin) != 7 || admin[0] != "admin@example.org" || admin[1] != "admin" || admin[2] != "active" || admin[5] != "UTC" {
		t.Errorf("admin row %q; want email, role, active, the sign-in time and the created date", lines[1])
	}
	if len(viewer) != 5 || viewer[0] != "viewer@example.org" || viewer[1] != "viewer" || viewer[2] != "disabled" || viewer[3] != "never" {
		t.Errorf("viewer row %q; want email, role, disabled, never and the created date", lines[2])
	}
}

func TestUsersSetPassword(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW+"\n", "add", "--email", "admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users(otherPW+"\n", "set-password", "--email", "Admin@example.org"), "existing sessions were ended")
	if err := authenticate(t, db, "admin@example.org", adminPW); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("the old password: %v; want ErrBadCredentials", err)
	}
	if err := authenticate(t, db, "admin@example.org", otherPW); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	u, err := openStore(t, db).UserByEmail(context.Background(), "admin@example.org")
	if err != nil || u.SessionsNotBefore == nil {
		t.Fatalf("%+v, %v; want SessionsNotBefore set", u, err)
	}

	mustFail(t, users("tooshort\n", "set-password", "--email", "admin@example.org"), "at least 12 characters")
	mustFail(t, users("", "set-password", "--email", "admin@example.org"), "no password on standard input: pipe it in")
	mustFail(t, users(adminPW+"\n", "set-password", "--email", "nobody@example.org"), "no user with email nobody@example.org")
	if err := authenticate(t, db, "admin@example.org", otherPW); err != nil {
		t.Fatalf("after the refusals the password changed: %v", err)
	}
}

func TestUsersDisableEnable(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW, "add", "--email", "admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users(otherPW, "add", "--email", "organiser@example.org", "--role", "organiser"), "created")

	mustSucceed(t, users("", "disable", "--email", "organiser@example.org"), "disabled organiser@example.org; their existing sessions were ended")
	if err := authenticate(t, db, "organiser@example.org", otherPW); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("a disabled account signs in: %v", err)
	}
	mustSucceed(t, users("", "disable", "--email", "organiser@example.org"), "already disabled")

	mustSucceed(t, users("", "enable", "--email", "organiser@example.org"), "enabled organiser@example.org")
	if err := authenticate(t, db, "organiser@example.org", otherPW); err != nil {
		t.Fatalf("an enabled account: %v", err)
	}
	mustSucceed(t, users("", "enable", "--email", "organiser@example.org"), "already enabled")

	mustFail(t, users("", "disable", "--email", "nobody@example.org"), "no user with email nobody@example.org")
	mustFail(t, users("", "enable"), "--email is required")
	// The flag package shows the verb's flags after a flag it does not know.
	r := users("", "disable", "--email", "organiser@example.org", "--role", "admin")
	if r.code != 1 || !strings.HasSuffix(r.stderr, "\ncampaigntrack users: flag provided but not defined: -role\n") || !strings.Contains(r.stderr, "-email") {
		t.Fatalf("a flag disable does not take: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsersSetRole(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW, "add", "--email", "admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users(otherPW, "add", "--email", "someone@example.org", "--role", "viewer"), "created")

	for _, role := range []string{"organiser", "admin", "viewer"} {
		mustSucceed(t, users("", "set-role", "--email", "someone@example.org", "--role", role), "someone@example.org is now "+role)
		u, err := openStore(t, db).UserByEmail(context.Background(), "someone@example.org")
		if err != nil || u.Role != role {
			t.Fatalf("after set-role %s: %+v, %v", role, u, err)
		}
	}
	mustSucceed(t, users("", "set-role", "--email", "someone@example.org", "--role", "viewer"), "already viewer")
	mustFail(t, users("", "set-role", "--email", "someone@example.org", "--role", "owner"), `"owner" is not a role: use one of admin, organiser, viewer`)
	mustFail(t, users("", "set-role", "--email", "nobody@example.org", "--role", "viewer"), "no user with email nobody@example.org")
}

func TestUsersKeepOneEnabledAdmin(t *testing.T) {
	t.Parallel()
	users, db := usersDB(t)
	mustSucceed(t, users(adminPW, "add", "--email", "admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users(otherPW, "add", "--email", "old-admin@example.org", "--role", "admin"), "created")
	mustSucceed(t, users("", "disable", "--email", "old-admin@example.org"), "disabled")

	mustFail(t, users("", "disable", "--email", "admin@example.org"), "cannot disable admin@example.org: "+models.ErrLastAdmin.Error())
	mustFail(t, users("", "set-role", "--email", "admin@example.org", "--role", "organiser"), "cannot make admin@example.org organiser: "+models.ErrLastAdmin.Error())
	if err := authenticate(t, db, "admin@example.org", adminPW); err != nil {
		t.Fatalf("the last admin after the refusals: %v", err)
	}
	u, err := openStore(t, db).UserByEmail(context.Background(), "admin@example.org")
	if err != nil || u.Role != models.RoleAdmin {
		t.Fatalf("the last admin after the refusals: %+v, %v", u, err)
	}

	// With a second enabled admin, the first may go.
	mustSucceed(t, users("", "enable", "--email", "old-admin@example.org"), "enabled")
	mustSucceed(t, users("", "disable", "--email", "admin@example.org"), "disabled admin@example.org")
}

// TestUsersTakesTheDatabaseFromTheEnvironment: the common settings work for
// users as for every other command.
func TestUsersTakesTheDatabaseFromTheEnvironment(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "env.db")
	env := map[string]string{"CAMPAIGNTRACK_DB": db, "CAMPAIGNTRACK_LOG_LEVEL": "warn"}
	mustSucceed(t, runWithStdin(t, env, adminPW+"\n", "users", "add", "--email", "admin@example.org", "--role", "admin"), "created admin admin@example.org")
	if err := authenticate(t, db, "admin@example.org", adminPW); err != nil {
		t.Fatal(err)
	}
	mustFail(t, runWithStdin(t, map[string]string{"CAMPAIGNTRACK_LOG_LEVEL": "loud"}, "", "users", "list"), "CAMPAIGNTRACK_LOG_LEVEL")
}

func TestUsersUnknownVerb(t *testing.T) {
	t.Parallel()
	r := runWithStdin(t, nil, "", "users", "frobnicate")
	// A usage mistake exits 2, other failures 1.
	if r.code != 2 || !strings.Contains(r.stderr, `unknown verb "frobnicate"`) || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want a failure naming the verb", r.code, r.stderr)
	}
	r = runWithStdin(t, nil, "", "users", "--email", "a@example.org", "disable")
	if r.code == 0 || !strings.Contains(r.stderr, "the verb comes before the flags") {
		t.Fatalf("flags before the verb: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsersHelpListsEveryVerb(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"users"}, {"users", "help"}, {"users", "--help"}, {"users", "-h"}} {
		r := runWithStdin(t, nil, "", args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, verb := range []string{"list", "add", "set-password", "disable", "enable", "set-role", "help"} {
			if !strings.Contains(r.stdout, "\n  "+verb+" ") {
				t.Errorf("%v does not list %q:\n%s", args, verb, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, "printf '%s\\n' \"$PW\" | campaigntrack users add") {
			t.Errorf("%v does not show how to pipe a password in:\n%s", args, r.stdout)
		}
	}
	r := run(t, context.Background(), nil, "--help")
	if !strings.Contains(r.stdout, "\n  users ") {
		t.Errorf("campaigntrack --help does not list users:\n%s", r.stdout)
	}
	r = runWithStdin(t, nil, "", "users", "add", "--help")
	if r.code != 0 || !strings.Contains(r.stderr, "-email") || !strings.Contains(r.stderr, "-role") || !strings.Contains(r.stderr, "-db") {
		t.Errorf("users add --help: exit %d, stderr %q", r.code, r.stderr)
	}
}
