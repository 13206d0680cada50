//go:build !unix

package private

import "io/fs"

// ownedByMe: without Unix owners, the directory's place (the user's own
// temporary directory on Windows) is what makes it ours.
func ownedByMe(fs.FileInfo) bool { return true }
