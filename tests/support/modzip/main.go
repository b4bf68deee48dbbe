// Command modzip writes a Go module zip, as a module proxy serves it, with golang.org/x/mod/zip: the reference
// implementation of the format `go mod download` checks. Built at test time from Debian's golang-golang-x-mod-dev.
//
//	modzip <module path> <version> <module folder> <output zip>
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: modzip <module path> <version> <module folder> <output zip>")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[4])
	if err == nil {
		version := module.Version{Path: os.Args[1], Version: os.Args[2]}
		err = zip.CreateFromDir(out, version, os.Args[3])
		if closeErr := out.Close(); err == nil {
			err = closeErr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "modzip:", err)
		os.Exit(1)
	}
}
