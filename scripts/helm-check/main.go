// helm-check renders and lints the Helm chart with Helm's own packages (the ones the helm CLI
// runs for `helm lint` and `helm template`), and strictly decodes rendered manifests into the
// Kubernetes API types, so CI can validate the deployment artifacts with no cluster and no
// helm binary. A small program against the library builds faster than the whole helm CLI.
//
// Usage:
//
//	helm-check lint <chart-dir> [values-file...]                  helm lint --strict -f ...
//	helm-check template <chart-dir> <release> <namespace> [values-file...]   helm template -f ...
//	helm-check decode <manifest-file>    strict decode; prints the objects as a JSON array
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	var err error
	switch args := os.Args[2:]; os.Args[1] {
	case "lint":
		err = lintChart(args[0], args[1:])
	case "template":
		if len(args) < 3 {
			usage()
		}
		var out string
		out, err = renderChart(args[0], args[1], args[2], args[3:])
		if err == nil {
			fmt.Print(out)
		}
	case "decode":
		var data []byte
		if data, err = os.ReadFile(args[0]); err == nil {
			var out []byte
			out, err = decodeStrict(data)
			if err == nil {
				fmt.Println(string(out))
			}
		}
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: helm-check lint <chart> [values...] | template <chart> <release> <namespace> [values...] | decode <file>")
	os.Exit(2)
}
