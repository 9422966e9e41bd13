// metrics-check reads a Prometheus text exposition on stdin with Prometheus's own parser
// (github.com/prometheus/common/expfmt) and prints the families as JSON for the Jest test,
// so a format mistake that a hand-rolled parser would forgive fails the test.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type sample struct {
	Labels map[string]string `json:"labels"`
	Value  *float64          `json:"value"` // null for NaN and ±Inf, which JSON cannot carry
}

func val(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func main() {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := map[string]map[string]any{}
	for name, f := range families {
		var samples []sample
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch {
			case m.Counter != nil:
				samples = append(samples, sample{labels, val(m.GetCounter().GetValue())})
			case m.Gauge != nil:
				samples = append(samples, sample{labels, val(m.GetGauge().GetValue())})
			case m.Histogram != nil:
				h := m.GetHistogram()
				samples = append(samples, sample{labels, val(float64(h.GetSampleCount()))})
			case m.Summary != nil:
				samples = append(samples, sample{labels, val(float64(m.GetSummary().GetSampleCount()))})
			case m.Untyped != nil:
				samples = append(samples, sample{labels, val(m.GetUntyped().GetValue())})
			}
		}
		out[name] = map[string]any{"type": f.GetType().String(), "samples": samples}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
