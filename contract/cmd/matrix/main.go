// Command matrix prints the release matrix: for every typed service of the
// SDK and every supported authentik release (one per distinct schema cut),
// whether List and Get decode every field that release sends ("ok"), or the
// route is absent there ("absent": the SDK's 404 names the release that
// added it). Run it from the contract module: go run ./cmd/matrix
package main

import (
	"fmt"
	"os"

	"github.com/authentik-go/authentik/contract"
)

func main() {
	all, err := contract.Releases()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var distinct []contract.Release
	for _, r := range all {
		if len(distinct) == 0 || distinct[len(distinct)-1].Cut != r.Cut {
			distinct = append(distinct, r)
		}
	}
	cells, err := contract.Matrix(distinct)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(contract.MatrixTable(cells))
	for _, c := range cells {
		if c.Result != "ok" && c.Result != "absent" {
			os.Exit(1)
		}
	}
}
