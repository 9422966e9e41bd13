// compose-check loads a Compose file the way `docker compose config` does (compose-go, the
// library Docker Compose itself is built on): schema validation, interpolation from an env
// file, profiles, and normalisation. It prints the resolved project as JSON, so the file can
// be checked on machines without a Docker engine or the compose plugin.
//
// With --dotenv it prints instead the variables of one env file as compose's own dotenv parser
// reads them (quotes, escapes, inline comments, ${VAR} expansion), as a JSON object, so a test
// can compare them with what bash's `set -a; . ./.env` gives the Makefile.
//
// Usage: compose-check <compose-file> <env-file> [profile...]
//
//	compose-check --dotenv <env-file>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "--dotenv" {
		printDotEnv(os.Args[2])
		return
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose-file> <env-file> [profile...] | compose-check --dotenv <env-file>")
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
	exitOn(err)
	project, err := opts.LoadProject(context.Background())
	exitOn(err)
	out, err := project.MarshalJSON()
	exitOn(err)
	fmt.Println(string(out))
}

// printDotEnv parses the file with the function compose uses for --env-file and .env
// (GetEnvFromFile), with an empty current environment so the answer depends on the file alone.
func printDotEnv(file string) {
	env, err := dotenv.GetEnvFromFile(map[string]string{}, []string{file})
	exitOn(err)
	out, err := json.Marshal(env)
	exitOn(err)
	fmt.Println(string(out))
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
