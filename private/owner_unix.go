//go:build unix

package private

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByMe reports whether the file belongs to this process's user.
func ownedByMe(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}
