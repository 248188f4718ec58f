package userdata

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bedrock-chat/stack/app/timeouts"
)

// Patterns for the fields that are written into the unit and the document.
var (
	modelIDPattern    = regexp.MustCompile(`^[A-Za-z0-9._:/-]+$`)
	regionPattern     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	envNamePattern    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	userNamePattern   = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	sourcePathPattern = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)
	goProxyPattern    = regexp.MustCompile(`^[A-Za-z0-9._:/@%+,|-]+$`)
)

// Variables that Render sets from Options fields.
const (
	envListenAddr = "CHAT_LISTEN_ADDR"
	envModelID    = "CHAT_MODEL_ID"
	envRegion     = "AWS_REGION"
)

// envUpstreamTimeout is the service's limit on a model call, which also
// sets the unit's stop timeout.
const envUpstreamTimeout = "CHAT_UPSTREAM_TIMEOUT"

// goVersionPattern matches the go line of a go.mod, such as 1.24 or 1.24.2.
var goVersionPattern = regexp.MustCompile(`^1\.[0-9]+(\.[0-9]+)?$`)

// validate reports every problem with opts at once, each naming the field,
// the value and what is allowed. It expects defaults to be filled in.
func validate(opts Options) error {
	var problems []error

	// Check the scalar fields.
	if opts.Port < 1024 || opts.Port > 65535 {
		problems = append(problems, fmt.Errorf(
			"invalid Port %d: allowed is 1024 to 65535, since the service "+
				"runs without the capability to bind lower ports", opts.Port))
	}
	if !modelIDPattern.MatchString(opts.ModelID) {
		problems = append(problems, fmt.Errorf(
			"invalid ModelID %q: allowed is a Bedrock model ID or ARN of "+
				"letters, digits and ._:/-", opts.ModelID))
	}
	if !regionPattern.MatchString(opts.Region) {
		problems = append(problems, fmt.Errorf(
			"invalid Region %q: allowed is an AWS Region name such as us-east-1",
			opts.Region))
	}
	if !userNamePattern.MatchString(opts.ServiceUser) || opts.ServiceUser == "root" {
		problems = append(problems, fmt.Errorf(
			"invalid ServiceUser %q: allowed is up to 32 lowercase letters, "+
				"digits, '_' and '-', starting with a letter or '_', but not root",
			opts.ServiceUser))
	}

	if opts.GoProxy != "" && !goProxyPattern.MatchString(opts.GoProxy) {
		problems = append(problems, fmt.Errorf(
			"invalid GoProxy %q: allowed is a GOPROXY list of URLs, direct or off, "+
				"separated by commas or pipes", opts.GoProxy))
	}

	// Check the extra environment and the source files.
	problems = append(problems, validateEnvironment(opts.Environment)...)
	problems = append(problems, validateSource(opts)...)

	if len(problems) > 0 {
		return fmt.Errorf("validate user-data options: %w", errors.Join(problems...))
	}
	return nil
}

// validateEnvironment reports names that are malformed or reserved, and
// values that a unit file cannot carry.
func validateEnvironment(environment map[string]string) []error {
	var problems []error
	for _, name := range sortedKeys(environment) {
		value := environment[name]
		switch {
		case !envNamePattern.MatchString(name):
			problems = append(problems, fmt.Errorf(
				"invalid Environment name %q: allowed is letters, digits and "+
					"underscores, not starting with a digit", name))
		case name == envListenAddr || name == envModelID || name == envRegion:
			problems = append(problems, fmt.Errorf(
				"invalid Environment name %q: it is set from the Port, ModelID "+
					"and Region fields", name))
		}
		if !utf8.ValidString(value) || strings.IndexFunc(value, unicode.IsControl) >= 0 {
			problems = append(problems, fmt.Errorf(
				"invalid Environment value %q for %s: allowed is UTF-8 text "+
					"without control characters", value, name))
		}
		if name != envUpstreamTimeout {
			continue
		}
		if _, err := timeouts.ParseUpstream(value); err != nil {
			problems = append(problems, fmt.Errorf(
				"invalid Environment value %q for %s: allowed is a Go duration "+
					"from 100ms to 10m, which also sets the unit's stop timeout",
				value, name))
		}
	}
	return problems
}

// validateSource reports source paths that are not clean, relative and
// unique, and a missing go.mod.
func validateSource(opts Options) []error {
	var problems []error
	seen := make(map[string]bool, len(opts.Source))
	for _, source := range opts.Source {
		switch {
		case !sourcePathPattern.MatchString(source.Path) ||
			path.Clean(source.Path) != source.Path ||
			path.IsAbs(source.Path) ||
			source.Path == "." || source.Path == ".." || strings.HasPrefix(source.Path, "../"):
			problems = append(problems, fmt.Errorf(
				"invalid Source path %q: allowed is a clean relative path of "+
					"letters, digits and ._/- inside the module", source.Path))
		case seen[source.Path]:
			problems = append(problems, fmt.Errorf(
				"invalid Source path %q: it appears more than once",
				source.Path))
		}
		seen[source.Path] = true
	}
	if !seen["go.mod"] {
		problems = append(problems, fmt.Errorf(
			"invalid Source of %d files: it has no go.mod, and the whole "+
				"module is needed to build the service",
			len(opts.Source)))
	} else if version := moduleGoVersion(opts.Source); !goVersionPattern.MatchString(version) {
		problems = append(problems, fmt.Errorf(
			"invalid Source go.mod go version %q: allowed is a release such as "+
				"1.24 or 1.24.2, which the build script checks the instance's Go against",
			version))
	}
	return problems
}
