//go:build tools

// Package tools pins the Temporal server module so that `go build go.temporal.io/server/cmd/server`
// and `go build go.temporal.io/server/cmd/tools/sql` resolve from this folder's go.mod and go.sum.
package tools

import (
	_ "go.temporal.io/server/temporal"
)
