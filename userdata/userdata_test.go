package userdata

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/app"
	"github.com/bedrock-chat/stack/internal/golden"
)

// goldenOptions returns options whose source is a small made-up module, so
// that the golden document does not change while the service is written. Its
// files exercise every way the renderer writes content.
func goldenOptions() Options {
	return Options{
		Port:        8443,
		ModelID:     "anthropic.claude-3-haiku-20240307-v1:0",
		Region:      "eu-central-1",
		ServiceUser: "bedrock-chat",
		Environment: map[string]string{
			"CHAT_MAX_CONCURRENT": "8",
			"CHAT_GREETING":       `50% "off" \o/`,
		},
		Source: []app.SourceFile{
			{Path: "assets/empty.txt", Content: nil},
			{Path: "assets/indented.txt", Content: []byte("  starts with blanks\n")},
			{Path: "cmd/chatd/main.go", Content: []byte(goldenMain)},
			{Path: "go.mod", Content: []byte("module example.com/chat\n\ngo 1.24\n")},
			{Path: "internal/edge/crlf.go", Content: []byte("package edge\r\n")},
			{Path: "internal/edge/keep.go", Content: []byte("package edge\n\n\n")},
			{Path: "internal/edge/strip.go", Content: []byte("package edge")},
		},
	}
}

// goldenMain is a Go file with build constraints and every kind of
// comment, all written as they are.
const goldenMain = `//go:build linux

// Command chatd is a stand-in for the service.
package main

import "fmt"

/*
A block comment over lines.
*/
func main() {
	// Print a line.
	fmt.Println("// not a comment", 1/* inline */+2) // trailing
}
`

// render renders opts and fails the test on an error.
func render(t *testing.T, opts Options) Document {
	t.Helper()
	document, err := Render(opts)
	require.NoError(t, err)
	return document
}

// decode returns the document inside encoded user-data.
func decode(t *testing.T, encoded string) []byte {
	t.Helper()
	compressed, err := base64.StdEncoding.DecodeString(encoded)
	require.NoError(t, err)
	reader, err := gzip.NewReader(bytes.NewReader(compressed))
	require.NoError(t, err)
	assert.Empty(t, reader.Name)
	assert.True(t, reader.ModTime.Equal(time.Unix(0, 0)) || reader.ModTime.IsZero())
	document, err := io.ReadAll(reader)
	require.NoError(t, err)
	return document
}

// renderCases are the options every property is checked against: the made-up
// module of the golden file, the real service source, and a user name that
// YAML would read as a boolean if it were not quoted.
func renderCases() []struct {
	name string
	opts Options
} {
	return []struct {
		name string
		opts Options
	}{
		{name: "golden options", opts: goldenOptions()},
		{name: "service source", opts: Options{ModelID: "amazon.nova-lite-v1:0", Region: "us-east-1"}},
		{
			name: "user named no",
			opts: Options{
				ModelID:     "amazon.nova-lite-v1:0",
				Region:      "us-east-1",
				ServiceUser: "no",
				Source:      goldenOptions().Source,
			},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	document := render(t, goldenOptions())
	golden.Assert(t, filepath.Join("testdata", "cloud-config.golden"), document.CloudConfig)
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			first := render(t, tc.opts)
			for range 5 {
				again := render(t, tc.opts)
				assert.Equal(t, first.CloudConfig, again.CloudConfig)
				assert.Equal(t, first.Encoded, again.Encoded)
			}
		})
	}
}

func TestRenderEncodesTheDocument(t *testing.T) {
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			document := render(t, tc.opts)

			assert.Equal(t, string(document.CloudConfig), string(decode(t, document.Encoded)))
			compressed, err := base64.StdEncoding.DecodeString(document.Encoded)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(compressed), MaxSize)
			t.Logf("gzipped user-data: %d bytes of %d", len(compressed), MaxSize)
		})
	}
}

func TestRenderRejectsOversizedUserData(t *testing.T) {
	// Random bytes neither compress nor fit a literal block.
	blob := make([]byte, 20000)
	random := rand.New(rand.NewPCG(1, 2))
	for i := range blob {
		blob[i] = byte(random.UintN(256))
	}
	opts := goldenOptions()
	opts.Source = append(opts.Source, app.SourceFile{Path: "assets/blob.bin", Content: blob})

	_, err := Render(opts)

	require.Error(t, err)
	assert.Regexp(t, `gzipped user-data is \d+ bytes, more than the 16384 bytes`, err.Error())
}

func TestRenderProperties(t *testing.T) {
	hardening := []string{
		"NoNewPrivileges=yes",
		"ProtectSystem=strict",
		"ProtectHome=yes",
		"PrivateTmp=yes",
		"PrivateDevices=yes",
		"CapabilityBoundingSet=",
		"AmbientCapabilities=",
		"Restart=always",
		"ProtectKernelTunables=yes",
		"ProtectKernelModules=yes",
		"ProtectControlGroups=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
		"SystemCallArchitectures=native",
		"MemoryDenyWriteExecute=yes",
		"LockPersonality=yes",
		"UMask=0077",
	}
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			document := render(t, tc.opts)
			config := string(decode(t, document.Encoded))
			files := writtenFiles(t, []byte(config))
			opts, err := withDefaults(tc.opts)
			require.NoError(t, err)

			// The document creates the service user without a login shell.
			assert.True(t, strings.HasPrefix(config, "#cloud-config\n"))
			assert.Contains(t, config, "  - name: \""+opts.ServiceUser+"\"\n"+
				"    system: true\n"+
				"    shell: /sbin/nologin\n"+
				"    no_create_home: true\n")

			// The unit runs the binary as that user, hardened, with its settings.
			require.Contains(t, files, unitPath)
			unit := lines(files[unitPath])
			assert.Contains(t, unit, "User="+opts.ServiceUser)
			assert.Contains(t, unit, "ExecStart="+binaryPath)
			for _, directive := range hardening {
				assert.Contains(t, unit, directive)
			}
			assert.Contains(t, unit, `Environment="CHAT_LISTEN_ADDR=:`+strconv.Itoa(opts.Port)+`"`)
			assert.Contains(t, unit, `Environment="CHAT_MODEL_ID=`+opts.ModelID+`"`)
			assert.Contains(t, unit, `Environment="AWS_REGION=`+opts.Region+`"`)
			for name := range opts.Environment {
				assert.Contains(t, string(files[unitPath]), `Environment="`+name+"=")
			}

			// The build script builds, installs and starts the service, and
			// cloud-init runs it.
			require.Contains(t, files, buildScriptPath)
			script := string(files[buildScriptPath])
			assert.True(t, strings.HasPrefix(script, "#!/bin/bash\n"))
			assert.Contains(t, script, "set -euo pipefail\n")
			assert.Contains(t, script, "go build -trimpath")
			assert.Regexp(t, `readonly version=[0-9a-f]{12}\n`, script)
			assert.Contains(t, script, `-X main.version=$version`)
			assert.Contains(t, script, "systemctl enable --now")
			assert.Contains(t, config, "runcmd:\n  - ["+buildScriptPath+"]\n")

			// Every source file is written byte for byte.
			assert.Len(t, files, len(opts.Source)+2)
			for _, source := range opts.Source {
				assert.Equal(t, string(source.Content), string(files[sourceDir+"/"+source.Path]),
					"content of %s", source.Path)
			}
		})
	}
}

func TestRenderEnvironmentIsSortedAndQuoted(t *testing.T) {
	document := render(t, goldenOptions())
	unit := string(writtenFiles(t, document.CloudConfig)[unitPath])

	assert.Contains(t, unit, "Environment=\"AWS_REGION=eu-central-1\"\n"+
		"Environment=\"CHAT_GREETING=50%% \\\"off\\\" \\\\o/\"\n"+
		"Environment=\"CHAT_LISTEN_ADDR=:8443\"\n"+
		"Environment=\"CHAT_MAX_CONCURRENT=8\"\n"+
		"Environment=\"CHAT_MODEL_ID=anthropic.claude-3-haiku-20240307-v1:0\"\n")
}

func TestRenderGoProxy(t *testing.T) {
	// Without a proxy the script keeps the distribution's setting.
	opts := goldenOptions()
	files := writtenFiles(t, render(t, opts).CloudConfig)
	assert.NotContains(t, string(files[buildScriptPath]), "GOPROXY")

	// With one, the script exports it quoted.
	opts.GoProxy = "https://athens.internal.example,direct"
	files = writtenFiles(t, render(t, opts).CloudConfig)
	assert.Contains(t, string(files[buildScriptPath]),
		"export GOPROXY='https://athens.internal.example,direct'\n")
}

func TestRenderStopTimeoutOutlastsTheDrain(t *testing.T) {
	tests := []struct {
		name     string
		upstream string
		want     string
	}{
		{name: "default upstream timeout", upstream: "", want: "TimeoutStopSec=55"},
		{name: "shortest upstream timeout", upstream: "100ms", want: "TimeoutStopSec=26"},
		{name: "longer upstream timeout", upstream: "2m", want: "TimeoutStopSec=145"},
		{name: "longest upstream timeout", upstream: "10m", want: "TimeoutStopSec=625"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := goldenOptions()
			if tc.upstream != "" {
				opts.Environment[envUpstreamTimeout] = tc.upstream
			}

			unit := lines(writtenFiles(t, render(t, opts).CloudConfig)[unitPath])

			assert.Contains(t, unit, tc.want)
		})
	}
}

func TestRenderBuildsWithTheLocalToolchain(t *testing.T) {
	script := string(writtenFiles(t, render(t, goldenOptions()).CloudConfig)[buildScriptPath])

	// The script never downloads a toolchain and checks the one it has.
	assert.Contains(t, script, "export GOTOOLCHAIN=local\n")
	assert.NotContains(t, script, "GOTOOLCHAIN=auto")
	assert.Contains(t, script, "readonly go_required=1.24\n")
	assert.Contains(t, script, `sort --version-sort --check=quiet`)
	assert.Less(t, strings.Index(script, "go env GOVERSION"), strings.Index(script, "go mod download"))
}

func TestModuleGoVersion(t *testing.T) {
	tests := []struct {
		name  string
		gomod string
		want  string
	}{
		{name: "minor release", gomod: "module m\n\ngo 1.24\n", want: "1.24"},
		{name: "patch release", gomod: "module m\n\ngo 1.24.2\n\ntoolchain go1.25.0\n", want: "1.24.2"},
		{name: "carriage returns", gomod: "module m\r\n\r\ngo 1.25\r\n", want: "1.25"},
		{name: "no go line", gomod: "module m\n", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			source := []app.SourceFile{{Path: "go.mod", Content: []byte(tc.gomod)}}

			assert.Equal(t, tc.want, moduleGoVersion(source))
		})
	}
}

func TestRenderRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Options)
		want   []string
	}{
		{
			name:   "negative port",
			modify: func(o *Options) { o.Port = -1 },
			want:   []string{"invalid Port -1", "1024 to 65535"},
		},
		{
			name:   "privileged port",
			modify: func(o *Options) { o.Port = 443 },
			want:   []string{"invalid Port 443", "1024 to 65535", "capability"},
		},
		{
			name:   "port past the range",
			modify: func(o *Options) { o.Port = 65536 },
			want:   []string{"invalid Port 65536", "1024 to 65535"},
		},
		{
			name:   "empty model ID",
			modify: func(o *Options) { o.ModelID = "" },
			want:   []string{`invalid ModelID ""`, "Bedrock model ID or ARN"},
		},
		{
			name:   "model ID with a space",
			modify: func(o *Options) { o.ModelID = "claude v2" },
			want:   []string{`invalid ModelID "claude v2"`, "._:/-"},
		},
		{
			name:   "empty region",
			modify: func(o *Options) { o.Region = "" },
			want:   []string{`invalid Region ""`, "us-east-1"},
		},
		{
			name:   "region in capitals",
			modify: func(o *Options) { o.Region = "US-EAST-1" },
			want:   []string{`invalid Region "US-EAST-1"`, "AWS Region name"},
		},
		{
			name:   "root as service user",
			modify: func(o *Options) { o.ServiceUser = "root" },
			want:   []string{`invalid ServiceUser "root"`, "but not root"},
		},
		{
			name:   "service user with capitals",
			modify: func(o *Options) { o.ServiceUser = "Chat" },
			want:   []string{`invalid ServiceUser "Chat"`, "lowercase letters"},
		},
		{
			name:   "reserved environment name",
			modify: func(o *Options) { o.Environment = map[string]string{"AWS_REGION": "x"} },
			want:   []string{`invalid Environment name "AWS_REGION"`, "Region fields"},
		},
		{
			name:   "malformed environment name",
			modify: func(o *Options) { o.Environment = map[string]string{"1X": "x"} },
			want:   []string{`invalid Environment name "1X"`, "not starting with a digit"},
		},
		{
			name:   "environment value with a line break",
			modify: func(o *Options) { o.Environment = map[string]string{"X": "a\nb"} },
			want:   []string{`invalid Environment value "a\nb" for X`, "control characters"},
		},
		{
			name: "source path outside the module",
			modify: func(o *Options) {
				o.Source = append(o.Source, app.SourceFile{Path: "../secret.go"})
			},
			want: []string{`invalid Source path "../secret.go"`, "clean relative path"},
		},
		{
			name: "absolute source path",
			modify: func(o *Options) {
				o.Source = append(o.Source, app.SourceFile{Path: "/etc/passwd"})
			},
			want: []string{`invalid Source path "/etc/passwd"`},
		},
		{
			name: "unclean source path",
			modify: func(o *Options) {
				o.Source = append(o.Source, app.SourceFile{Path: "cmd//chatd/main.go"})
			},
			want: []string{`invalid Source path "cmd//chatd/main.go"`},
		},
		{
			name: "module root as source path",
			modify: func(o *Options) {
				o.Source = append(o.Source, app.SourceFile{Path: "."})
			},
			want: []string{`invalid Source path "."`},
		},
		{
			name: "duplicate source path",
			modify: func(o *Options) {
				o.Source = append(o.Source, app.SourceFile{Path: "go.mod"})
			},
			want: []string{`invalid Source path "go.mod": it appears more than once`},
		},
		{
			name:   "source without go.mod",
			modify: func(o *Options) { o.Source = []app.SourceFile{{Path: "main.go"}} },
			want:   []string{"invalid Source of 1 files: it has no go.mod"},
		},
		{
			name: "upstream timeout that is not a duration",
			modify: func(o *Options) {
				o.Environment = map[string]string{envUpstreamTimeout: "30"}
			},
			want: []string{`invalid Environment value "30" for CHAT_UPSTREAM_TIMEOUT`,
				"stop timeout"},
		},
		{
			name: "upstream timeout too long",
			modify: func(o *Options) {
				o.Environment = map[string]string{envUpstreamTimeout: "1h"}
			},
			want: []string{`invalid Environment value "1h" for CHAT_UPSTREAM_TIMEOUT`},
		},
		{
			name: "go.mod without a go line",
			modify: func(o *Options) {
				o.Source = []app.SourceFile{{Path: "go.mod", Content: []byte("module m\n")}}
			},
			want: []string{`invalid Source go.mod go version ""`, "1.24.2"},
		},
		{
			name: "go.mod with a go line the script cannot compare",
			modify: func(o *Options) {
				o.Source = []app.SourceFile{{Path: "go.mod", Content: []byte("go 1.24rc1\n")}}
			},
			want: []string{`invalid Source go.mod go version "1.24rc1"`},
		},
		{
			name:   "Go proxy that would break out of the script's quotes",
			modify: func(o *Options) { o.GoProxy = "https://proxy.example.com' ; reboot" },
			want:   []string{"invalid GoProxy", "GOPROXY list of URLs"},
		},
		{
			name: "every problem at once",
			modify: func(o *Options) {
				o.Port = 80
				o.ModelID = ""
				o.Region = ""
			},
			want: []string{"invalid Port 80", "invalid ModelID", "invalid Region"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := goldenOptions()
			tc.modify(&opts)

			_, err := Render(opts)

			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "validate user-data options: "))
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestRenderAcceptsEdgeOptions(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Options)
	}{
		{name: "lowest port", modify: func(o *Options) { o.Port = 1024 }},
		{name: "highest port", modify: func(o *Options) { o.Port = 65535 }},
		{name: "default port", modify: func(o *Options) { o.Port = 0 }},
		{name: "default user", modify: func(o *Options) { o.ServiceUser = "" }},
		{name: "no extra environment", modify: func(o *Options) { o.Environment = nil }},
		{
			name: "inference profile ARN",
			modify: func(o *Options) {
				o.ModelID = "arn:aws:bedrock:eu-central-1:123456789012:" +
					"inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"
			},
		},
		{name: "GovCloud region", modify: func(o *Options) { o.Region = "us-gov-west-1" }},
		{
			name:   "upstream timeout",
			modify: func(o *Options) { o.Environment[envUpstreamTimeout] = "45s" },
		},
		{
			name:   "empty upstream timeout, the default",
			modify: func(o *Options) { o.Environment[envUpstreamTimeout] = "" },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := goldenOptions()
			tc.modify(&opts)

			_, err := Render(opts)

			assert.NoError(t, err)
		})
	}
}

// writtenFiles reads the write_files entries of a document that Render made
// and returns each file's content by path. It knows only the layout that
// renderCloudConfig writes; tools_test.go reads the same document with a
// real YAML parser.
func writtenFiles(t *testing.T, document []byte) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	documentLines := strings.SplitAfter(string(document), "\n")
	var path string
	var base64Encoded bool
	for i := 0; i < len(documentLines); i++ {
		line := strings.TrimSuffix(documentLines[i], "\n")
		switch {
		case strings.HasPrefix(line, "  - path: "):
			path = strings.TrimPrefix(line, "  - path: ")
			base64Encoded = false
		case line == "    encoding: b64":
			base64Encoded = true
		case base64Encoded && strings.HasPrefix(line, "    content: "):
			value := strings.Trim(strings.TrimPrefix(line, "    content: "), `"`)
			content, err := base64.StdEncoding.DecodeString(value)
			require.NoError(t, err, "decode content of %s", path)
			files[path] = content
		case strings.HasPrefix(line, "    content: |"):
			var block strings.Builder
			for i+1 < len(documentLines) && (documentLines[i+1] == "\n" ||
				strings.HasPrefix(documentLines[i+1], "      ")) {
				i++
				block.WriteString(strings.TrimPrefix(documentLines[i], "      "))
			}
			text := block.String()
			switch strings.TrimPrefix(line, "    content: |") {
			case "-":
				text = strings.TrimRight(text, "\n")
			case "":
				text = strings.TrimRight(text, "\n") + "\n"
			}
			files[path] = []byte(text)
		}
	}
	return files
}

// lines splits content into its lines.
func lines(content []byte) []string {
	return strings.Split(string(content), "\n")
}
