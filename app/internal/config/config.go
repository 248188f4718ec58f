// Package config reads and checks the chat service's settings.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bedrock-chat/stack/app/timeouts"
)

// regionPattern matches AWS region names such as us-east-1 or us-gov-west-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// Config is the chat service's checked configuration; Load names each
// field's variable, default and bounds.
type Config struct {
	ListenAddr       string
	Region           string
	ModelID          string
	DefaultMaxTokens int
	MaxTokensLimit   int
	MaxBodyBytes     int64
	UpstreamTimeout  time.Duration
	MaxConcurrent    int
}

// Load reads the configuration through getenv, taking an unset or empty
// variable as its default, and reports every bad value at once.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	check := func(ok bool, name, value, allowed string) {
		if !ok {
			errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, allowed))
		}
	}
	integer := func(name string, fallback, lo, hi int) int {
		v := cmp.Or(getenv(name), strconv.Itoa(fallback))
		n, err := strconv.Atoi(v)
		check(err == nil && n >= lo && n <= hi, name, v,
			fmt.Sprintf("must be an integer from %d to %d", lo, hi))
		return n
	}

	// Read each variable, checking ranges on the way.
	c := Config{
		ListenAddr:       cmp.Or(getenv("CHAT_LISTEN_ADDR"), ":5212"),
		Region:           getenv("AWS_REGION"),
		ModelID:          cmp.Or(getenv("CHAT_MODEL_ID"), "mistral.mistral-large-2402-v1:0"),
		DefaultMaxTokens: integer("CHAT_DEFAULT_MAX_TOKENS", 200, 1, 65536),
		MaxTokensLimit:   integer("CHAT_MAX_TOKENS_LIMIT", 4096, 1, 65536),
		MaxBodyBytes:     int64(integer("CHAT_MAX_BODY_BYTES", 65536, 1024, 10<<20)),
		MaxConcurrent:    integer("CHAT_MAX_CONCURRENT", 16, 1, 1024),
	}
	upstream, err := timeouts.ParseUpstream(getenv("CHAT_UPSTREAM_TIMEOUT"))
	if err != nil {
		errs = append(errs, err)
	}
	c.UpstreamTimeout = upstream

	// Check the values that are not plain ranges.
	_, port, err := net.SplitHostPort(c.ListenAddr)
	check(err == nil && port != "", "CHAT_LISTEN_ADDR", c.ListenAddr,
		"must be host:port or :port, such as :5212")
	check(regionPattern.MatchString(c.Region), "AWS_REGION", c.Region,
		"must be a region such as us-east-1")
	check(strings.TrimSpace(c.ModelID) == c.ModelID && !strings.ContainsAny(c.ModelID, " \t\n"),
		"CHAT_MODEL_ID", c.ModelID, "must be a Bedrock model ID without spaces")
	check(c.DefaultMaxTokens <= c.MaxTokensLimit, "CHAT_DEFAULT_MAX_TOKENS",
		strconv.Itoa(c.DefaultMaxTokens), "must not exceed CHAT_MAX_TOKENS_LIMIT")

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// MaxHeaderBytes returns the bound on a request's line and headers: room
// for a query message of MaxBodyBytes even if every byte of it is
// percent-encoded, which triples it, and 16 KiB for the headers.
func (c Config) MaxHeaderBytes() int {
	return 3*int(c.MaxBodyBytes) + 16<<10
}
