// Package private creates the files that hold signers' personal data:
// readable and writable by their owner only (0600) whatever the umask,
// and, for temporary ones, in a directory of the application's own, gone
// as soon as they are closed and swept at start-up if a crash left any.
package private

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Mode is the permission of every file holding personal data.
const Mode fs.FileMode = 0o600

// Create creates or truncates the file at path for writing, readable by
// its owner only. A file that was there keeps its inode, so its mode is
// set again: os.OpenFile's mode only applies to a new file.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, Mode)
	if err != nil {
		return nil, err
	}
	if err := restrict(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// restrict makes a regular file owner-only. Anything else (a terminal or
// a pipe given as --out /dev/stdout) is left alone: its mode is not a
// file's and may not be ours to change.
func restrict(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() || st.Mode().Perm() == Mode {
		return nil
	}
	if err := f.Chmod(Mode); err != nil {
		return fmt.Errorf("cannot make %s readable by its owner only: %w", f.Name(), err)
	}
	return nil
}

// Restrict makes the existing regular file at path owner-only and reports
// whether it had to (it was readable or writable by others). A missing
// file is not an error.
func Restrict(path string) (changed bool, err error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && (!st.Mode().IsRegular() || st.Mode().Perm()&^Mode == 0) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, os.Chmod(path, Mode)
}

// Dir is the directory of the application's temporary files:
// campaigntrack-<uid> in the system's temporary directory (TMPDIR), made
// 0700 on first use. One per user, not per database: a PostgreSQL
// deployment has no database directory, and every instance of one user
// on one machine shares it safely (see TempFile). A directory of that
// name that another user made, or that is a symbolic link, is refused:
// in a shared /tmp it would be a trap to read our files.
func Dir() (string, error) {
	dir := filepath.Join(os.TempDir(), "campaigntrack-"+strconv.Itoa(os.Getuid()))
	err := os.Mkdir(dir, 0o700)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return dir, err
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	if !st.IsDir() || !ownedByMe(st) {
		return "", fmt.Errorf("%s is not a directory of this user's own: remove it, or set TMPDIR to another directory", dir)
	}
	if st.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// TempFile creates a temporary file, 0600, in Dir, for reading and
// writing, and at once removes its name where the system allows it
// (Unix): the open file stays usable and its space is freed when it is
// closed, or when the process dies however it dies, so even a SIGKILL
// leaves nothing behind. Close it with Discard. Where a name cannot be
// removed while the file is open, Discard removes it, and Sweep removes
// what a crash left.
func TempFile(pattern string) (*os.File, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	_ = os.Remove(f.Name()) // where it fails (Windows), Discard does it
	return f, nil
}

// Discard closes a file made by TempFile and removes its name if it still
// has one.
func Discard(f *os.File) {
	f.Close()
	_ = os.Remove(f.Name())
}

// legacyPattern names the import copies earlier versions kept in the
// system's temporary directory itself, under their name until the import
// ended; a crash left them there.
const legacyPattern = "campaigntrack-import-*.csv"

// Sweep removes the temporary files a crash left: every file in Dir (a
// live process's files have no name there, except for the moment between
// their creation and removal, and removing that name does the live
// process no harm), and the import copies of earlier versions in the
// system's temporary directory. It returns how many it removed.
func Sweep() (int, error) {
	dir, err := Dir()
	if err != nil {
		return 0, err
	}
	left, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return 0, err
	}
	legacy, _ := filepath.Glob(filepath.Join(os.TempDir(), legacyPattern))
	n := 0
	var errs []error
	for _, path := range append(left, legacy...) {
		if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() || !ownedByMe(st) {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
