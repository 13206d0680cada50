package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs the command line in-process with a database path that must
// never be created: help and usage mistakes touch no database.
func runIn(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return map[string]string{"CAMPAIGNTRACK_DB": db}[k] },
	})
	return code, out.String(), errOut.String()
}

// TestEveryVerbHasHelp walks the runner's own tables, so a command or
// verb added later is covered: each prints help for -h and exits 0, and
// each command made of verbs refuses an unknown verb with exit code 2 and
// one line naming it.
func TestEveryVerbHasHelp(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "never.db")
	for _, cmd := range program.verbs {
		paths := [][]string{{cmd.name}}
		if cmd.sub != nil {
			for _, v := range cmd.sub.verbs {
				paths = append(paths, []string{cmd.name, v.name})
			}
		}
		for _, path := range paths {
			code, stdout, stderr := runIn(t, db, append(path, "-h")...)
			if code != 0 || !strings.Contains(stdout+stderr, "Usage:") {
				t.Errorf("%s -h: exit %d, stdout %q, stderr %q; want help and exit 0", strings.Join(path, " "), code, stdout, stderr)
			}
		}
		if cmd.sub == nil {
			continue
		}
		code, _, stderr := runIn(t, db, cmd.name, "frobnicate")
		if code != 2 || stderr != "campaigntrack "+cmd.name+": unknown verb \"frobnicate\"; verbs: "+cmd.sub.names()+" (campaigntrack "+cmd.name+" help explains them)\n" {
			t.Errorf("%s frobnicate: exit %d, stderr %q; want exit 2 and one line naming the verb", cmd.name, code, stderr)
		}
		if code, _, stderr := runIn(t, db, cmd.name, "--db", db); code != 2 || !strings.Contains(stderr, "the verb comes before the flags") {
			t.Errorf("%s with a flag for a verb: exit %d, stderr %q", cmd.name, code, stderr)
		}
	}
	if code, _, stderr := runIn(t, db, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("an unknown command: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("help or a usage mistake created the database %s", db)
	}
}

func TestSplitArgs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args         []string
		bools        []string
		flags, files string
	}{
		{[]string{"a.csv", "--campaign", "x"}, nil, "--campaign x", "a.csv"},
		{[]string{"--campaign=x", "a.csv", "-h"}, nil, "--campaign=x -h", "a.csv"},
		{[]string{"--force", "FILE"}, []string{"force"}, "--force", "FILE"},
		{[]string{"--force", "FILE"}, nil, "--force FILE", ""},
		{[]string{"--db", "d", "--", "-odd-name"}, nil, "--db d", "-odd-name"},
		{[]string{"-"}, nil, "", "-"},
	} {
		flags, files := splitArgs(c.args, c.bools...)
		if strings.Join(flags, " ") != c.flags || strings.Join(files, " ") != c.files {
			t.Errorf("splitArgs(%q, %q) = %q, %q; want %q, %q", c.args, c.bools, flags, files, c.flags, c.files)
		}
	}
}
