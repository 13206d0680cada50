package models

import (
	"context"
	"database/sql"
	"fmt"
)

// An InstanceLock is held by every process that runs imports on a
// database (each server, and signatures import) for as long as it runs.
// It is let go however the process ends, SIGKILL and power cuts included:
// by PostgreSQL when the session holding its advisory lock ends, by the
// kernel when the process holding its flock on a file beside the SQLite
// database dies. Every holder shares it; a process that can take it
// alone, for a moment, knows that no other is alive, so every import
// still marked running was left by one that is gone.
type InstanceLock struct {
	release func()
}

// Release lets the lock go. A nil lock does nothing.
func (l *InstanceLock) Release() {
	if l != nil && l.release != nil {
		l.release()
		l.release = nil
	}
}

// LockInstance takes this process's share of the lock and reports whether
// it was alone: no other process held it.
func (s *Store) LockInstance(ctx context.Context) (lock *InstanceLock, alone bool, err error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, false, err
	}
	if isPostgres(s.db) {
		return lockPostgresInstance(ctx, sqlDB)
	}
	var path string
	if err := sqlDB.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		return nil, false, fmt.Errorf("reading the database's file name: %s", oneLine(err))
	}
	if path == "" {
		return nil, true, nil // in memory: no other process can see it
	}
	return lockFileInstance(path + "-instances.lock")
}

// lockPostgresInstance holds a shared session advisory lock on a
// connection of its own. Its key is the schema's, so that databases kept
// in schemas side by side (the tests) do not see each other. "Alone" is
// taking the lock exclusively first, then sharing it before letting the
// exclusive hold go, so there is no moment without it.
func lockPostgresInstance(ctx context.Context, db *sql.DB) (*InstanceLock, bool, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	var key int64
	alone := false
	err = conn.QueryRowContext(ctx, "SELECT hashtextextended('campaigntrack instance ' || current_schema(), 0)").Scan(&key)
	if err == nil {
		err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&alone)
	}
	if err == nil {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock_shared($1)", key)
	}
	if err == nil && alone {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", key)
	}
	if err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("taking the instance lock: %s", oneLine(err))
	}
	return &InstanceLock{release: func() {
		conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock_shared($1)", key)
		conn.Close()
	}}, alone, nil
}
