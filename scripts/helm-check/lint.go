package main

import (
	"fmt"
	"os"

	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
)

// lintChart runs the linter `helm lint --strict -f ...` runs: with --strict a warning fails too.
func lintChart(dir string, valueFiles []string) error {
	vals, err := mergeValueFiles(valueFiles)
	if err != nil {
		return err
	}
	result := lint.AllWithKubeVersion(dir, vals, "default", kubeVersion())
	failed := 0
	for _, m := range result.Messages {
		fmt.Fprintln(os.Stderr, m)
		if m.Severity >= support.WarningSev {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("helm lint: %d warning(s) or error(s)", failed)
	}
	return nil
}
