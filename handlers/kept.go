package handlers

import (
	"sync"
	"sync/atomic"
)

// kept is a value that is read from the database once and then kept for
// the life of the process: the form-token key and the site's name, which
// never change once made. A failed read is retried on the next use.
type kept[T any] struct {
	mu sync.Mutex
	v  atomic.Pointer[T]
}

// get returns the kept value, reading it with load the first time.
func (k *kept[T]) get(load func() (T, error)) (T, error) {
	if v := k.v.Load(); v != nil {
		return *v, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if v := k.v.Load(); v != nil {
		return *v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	k.v.Store(&v)
	return v, nil
}
