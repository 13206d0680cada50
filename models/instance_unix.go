//go:build unix

package models

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"campaigntrack/private"
)

// lockFileInstance holds a shared flock on the file at path, made 0600 if
// missing. "Alone" is taking it exclusively first, then sharing it: the
// kernel may let go between the two, which does no harm, since a process
// runs no import before LockInstance has returned.
func lockFileInstance(path string) (*InstanceLock, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, private.Mode)
	if err != nil {
		return nil, false, fmt.Errorf("taking the instance lock: %w", err)
	}
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	alone := err == nil
	if err == nil || errors.Is(err, syscall.EWOULDBLOCK) {
		err = syscall.Flock(fd, syscall.LOCK_SH)
	}
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("taking the instance lock %s: %w", path, err)
	}
	return &InstanceLock{release: func() { f.Close() }}, alone, nil
}
