package private_test

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"campaigntrack/private"
)

// withUmask runs the test under a permissive umask, as a careless service
// file would set, and puts the old one back.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestCreateIsOwnerOnlyWhateverTheUmask(t *testing.T) {
	withUmask(t, 0)
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.csv")
	f, err := private.Create(fresh)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// A file that was there, readable by everyone, is truncated and made
	// owner-only before anything is written to it.
	old := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old, []byte("old contents"), 0o666); err != nil {
		t.Fatal(err)
	}
	os.Chmod(old, 0o666)
	f, err = private.Create(old)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, p := range []string{fresh, old} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
	if b, _ := os.ReadFile(old); len(b) != 0 {
		t.Errorf("the old file was not truncated: %q", b)
	}
}

func TestRestrict(t *testing.T) {
	withUmask(t, 0)
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.db")
	os.WriteFile(loose, nil, 0o644)
	if changed, err := private.Restrict(loose); err != nil || !changed || mode(t, loose) != 0o600 {
		t.Errorf("Restrict(0644 file) = %v, %v; mode %o", changed, err, mode(t, loose))
	}
	if changed, err := private.Restrict(loose); err != nil || changed {
		t.Errorf("Restrict(0600 file) = %v, %v, want no change", changed, err)
	}
	if changed, err := private.Restrict(filepath.Join(dir, "missing")); err != nil || changed {
		t.Errorf("Restrict(missing) = %v, %v", changed, err)
	}
}

// A temporary file has no name from the start: nothing of it is left in
// the directory while it is used, after it is discarded, or if the
// process dies.
func TestTempFileHasNoName(t *testing.T) {
	withUmask(t, 0)
	t.Setenv("TMPDIR", t.TempDir())
	f, err := private.TempFile("upload-*.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("Ada,ada@example.org\n"); err != nil {
		t.Fatal(err)
	}
	f.Seek(0, io.SeekStart)
	if b, _ := io.ReadAll(f); string(b) != "Ada,ada@example.org\n" {
		t.Errorf("read back %q", b)
	}
	dir, _ := private.Dir()
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("the directory's mode is %o, want 700", m)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("an open temporary file has a name: %v", left)
	}
	if st, _ := f.Stat(); st.Mode().Perm() != 0o600 {
		t.Errorf("the temporary file's mode is %o, want 600", st.Mode().Perm())
	}
	private.Discard(f)
}

// Sweep removes what a crash left in the application's directory and the
// import copies of earlier versions, and nothing else.
func TestSweep(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir, err := private.Dir()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		filepath.Join(dir, "upload-123.csv"),
		filepath.Join(tmp, "campaigntrack-import-456.csv"),
		filepath.Join(tmp, "multipart-789"),          // not attributable to us
		filepath.Join(tmp, "someone-elses-file.csv"), // not ours at all
	} {
		os.WriteFile(p, []byte("x"), 0o600)
	}
	n, err := private.Sweep()
	if err != nil || n != 2 {
		t.Errorf("Sweep = %d, %v, want 2 removed", n, err)
	}
	for _, kept := range []string{"multipart-789", "someone-elses-file.csv"} {
		if _, err := os.Stat(filepath.Join(tmp, kept)); err != nil {
			t.Errorf("Sweep removed %s, which the application did not make", kept)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the application's directory: %v", left)
	}
}

// A directory of the application's name that is a symbolic link (in a
// shared /tmp, someone else's trap) is refused.
func TestDirRefusesASymlink(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(tmp, "campaigntrack-"+strconv.Itoa(os.Getuid()))); err != nil {
		t.Fatal(err)
	}
	if _, err := private.TempFile("upload-*.csv"); err == nil {
		t.Error("TempFile used a directory that is a symbolic link")
	}
}
