package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The one verb runner. The program's commands and the verbs of users,
// signatures and deliveries are each a table of verbs; a command with
// verbs of its own points at its table (sub). One table is printed, and an
// unknown name refused, the same way at every level, so
// "campaigntrack users -h", "campaigntrack deliveries frobnicate" and exit
// code 2 behave alike for every command.

// verb is one command or verb: its name, the flags shown beside it in the
// help (may be empty), a one-line summary, and what it runs with the
// arguments after its name. A command made of verbs has sub instead of run.
type verb struct {
	name, flags, summary string
	run                  func(ctx context.Context, env Env, args []string) error
	sub                  *verbSet
}

// verbSet is a table of verbs and the help printed around it.
type verbSet struct {
	path  string // "campaigntrack users"
	intro string // the help before the table
	notes string // the help after it
	verbs []verb
}

// newVerbSet makes the verbs of a command, with a help verb of their own.
func newVerbSet(command, about, notes string, verbs ...verb) *verbSet {
	s := &verbSet{
		path:  "campaigntrack " + command,
		intro: fmt.Sprintf("Usage: campaigntrack %s VERB [flags]\n\n%s\n\nVerbs:\n", command, about),
		notes: notes,
	}
	s.verbs = append(verbs, s.helpVerb())
	return s
}

// helpVerb is the verb "help", which prints s's help.
func (s *verbSet) helpVerb() verb {
	return verb{name: "help", summary: "show this help", run: func(_ context.Context, env Env, _ []string) error {
		s.usage(env.Stdout)
		return nil
	}}
}

// run runs the verb args[0] with the rest; no verb, -h or --help shows the
// help. A name it does not know is a usageError (exit code 2).
func (s *verbSet) run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || isHelpFlag(args[0]) {
		s.usage(env.Stdout)
		return nil
	}
	name, rest := args[0], args[1:]
	if v, ok := s.find(name); ok {
		return v.exec(ctx, env, rest)
	}
	if strings.HasPrefix(name, "-") {
		return usageError{fmt.Sprintf("the verb comes before the flags (%s VERB [flags]); verbs: %s", s.path, s.names())}
	}
	return usageError{fmt.Sprintf("unknown verb %q; verbs: %s (%s help explains them)", name, s.names(), s.path)}
}

// exec runs a verb, or the table of verbs it stands for.
func (v verb) exec(ctx context.Context, env Env, args []string) error {
	if v.sub != nil {
		return v.sub.run(ctx, env, args)
	}
	return v.run(ctx, env, args)
}

func (s *verbSet) find(name string) (verb, bool) {
	i := slices.IndexFunc(s.verbs, func(v verb) bool { return v.name == name })
	if i < 0 {
		return verb{}, false
	}
	return s.verbs[i], true
}

func (s *verbSet) names() string {
	names := make([]string, len(s.verbs))
	for i, v := range s.verbs {
		names[i] = v.name
	}
	return strings.Join(names, ", ")
}

// usage prints the help: the intro, one aligned line per verb, the notes.
func (s *verbSet) usage(w io.Writer) {
	fmt.Fprint(w, s.intro)
	width := 0
	for _, v := range s.verbs {
		width = max(width, len(v.usageName()))
	}
	for _, v := range s.verbs {
		fmt.Fprintf(w, "  %-*s  %s\n", width, v.usageName(), v.summary)
	}
	fmt.Fprint(w, s.notes)
}

func (v verb) usageName() string { return strings.TrimSpace(v.name + " " + v.flags) }

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// usageError is a mistake in how the command was called (an unknown verb,
// a missing file argument): exit code 2, where other failures exit 1.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
func (usageError) ExitCode() int   { return 2 }

// splitArgs separates a verb's flags from its file arguments, so a file
// may come before or after the flags. A flag takes a value (--flag value
// or --flag=value) unless it is -h, --help or named in bools: "--force
// FILE" is a flag and a file, not a flag and its value.
func splitArgs(args []string, bools ...string) (flags, files []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case a == "--":
			return flags, append(files, args[i+1:]...)
		case a == "-" || !strings.HasPrefix(a, "-"):
			files = append(files, a)
		case hasValue || slices.Contains(bools, name) || name == "h" || name == "help":
			flags = append(flags, a)
		default:
			flags = append(flags, a)
			if i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, files
}
