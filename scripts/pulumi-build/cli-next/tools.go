//go:build tools

// Package tools pins the main packages built by scripts/install-pulumi.sh so
// that `go mod tidy` records all of their dependencies in go.sum.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
