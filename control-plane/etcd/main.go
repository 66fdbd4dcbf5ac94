// Command etcd is etcd's own main, built from its published module at the version the go-*.mod
// file picks (go build -modfile).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
