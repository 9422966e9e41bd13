// compose-check loads a Compose file the way `docker compose config` does (compose-go, the
// library Docker Compose itself is built on): schema validation, interpolation from an env
// file, profiles, and normalisation. It prints the resolved project as JSON, so the file can
// be checked on machines without a Docker engine or the compose plugin.
//
// Usage: compose-check <compose-file> <env-file> [profile...]
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose-file> <env-file> [profile...]")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(
		[]string{os.Args[1]},
		cli.WithWorkingDirectory("."),
		// Only the given env file, never the caller's environment or a local .env: the check
		// must give the same answer on every machine.
		cli.WithEnvFiles(os.Args[2]),
		cli.WithDotEnv,
		cli.WithProfiles(os.Args[3:]),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
