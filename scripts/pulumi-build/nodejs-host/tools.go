//go:build tools

// Package tools pins the main package built by scripts/install-pulumi.sh so
// that `go mod tidy` records all of its dependencies in go.sum.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
