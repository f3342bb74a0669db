// Command ferretdb runs FerretDB v1.24.2 (embedded package) with the PostgreSQL
// handler: a MongoDB-wire-protocol server whose documents live in PostgreSQL.
//
// Usage: ferretdb LISTEN_ADDR POSTGRESQL_URL
// Runs in the foreground until SIGTERM/SIGINT.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ferretdb LISTEN_ADDR POSTGRESQL_URL")
		os.Exit(2)
	}
	// Errors only: every refused command (e.g. the driver's endSessions) is a WARN with a full dump.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: os.Args[1]},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: os.Args[2],
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "[ferretdb] cannot start:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	fmt.Println("[ferretdb] serving on", os.Args[1])
	if err := f.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "[ferretdb] stopped:", err)
		os.Exit(1)
	}
	fmt.Println("[ferretdb] stopped")
}
