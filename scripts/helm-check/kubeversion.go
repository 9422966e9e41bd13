package main

import (
	"runtime/debug"
	"strings"

	"helm.sh/helm/v3/pkg/chartutil"
)

// kubeVersion is the Kubernetes version `helm template` and `helm lint` assume without a
// cluster. The helm CLI's Makefile injects it with -ldflags from the client-go it is built
// with (v0.X.Y -> v1.X.Y); a plain `go build` of the library leaves Helm's fallback, v1.20,
// which is older than the chart's kubeVersion. This program derives it the same way.
func kubeVersion() *chartutil.KubeVersion {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "k8s.io/client-go" && strings.HasPrefix(dep.Version, "v0.") {
				parts := strings.SplitN(strings.TrimPrefix(dep.Version, "v0."), ".", 2)
				if len(parts) == 2 {
					return &chartutil.KubeVersion{Version: "v1." + parts[0] + "." + parts[1], Major: "1", Minor: parts[0]}
				}
			}
		}
	}
	return &chartutil.DefaultCapabilities.KubeVersion
}

// capabilities are Helm's defaults with that Kubernetes version.
func capabilities() *chartutil.Capabilities {
	caps := *chartutil.DefaultCapabilities
	caps.KubeVersion = *kubeVersion()
	return &caps
}
