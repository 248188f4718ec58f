// Package userdata renders the cloud-init user-data that turns a fresh Amazon
// Linux 2023 instance into a host of the Bedrock chat service.
//
// The document creates a dedicated system user, writes the service's Go
// source, a build script and a hardened systemd unit, and runs the script,
// which builds the service with the distribution's Go and starts the unit.
// The script never downloads a Go toolchain: it stops with both versions
// named when the distribution's Go is older than the go line of go.mod.
// Render returns the document both as plain text and gzipped and base64
// encoded, ready for the user_data_base64 argument of aws_instance.
package userdata

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"

	"github.com/bedrock-chat/stack/app"
)

// DefaultPort is the TCP port the service listens on when Options.Port is
// zero. It matches the service's own default for CHAT_LISTEN_ADDR.
const DefaultPort = 5212

// DefaultServiceUser is the system user the service runs as when
// Options.ServiceUser is empty.
const DefaultServiceUser = "chatd"

// MaxSize is EC2's limit on user-data, in bytes, counted in raw form: here
// the gzipped document, before base64 encoding.
const MaxSize = 16384

// Paths on the instance. The source lands under sourceDir, the build script
// turns it into binaryPath and the unit runs that binary.
const (
	sourceDir       = "/opt/bedrock-chat/src"
	buildScriptPath = "/opt/bedrock-chat/build.sh"
	buildWorkDir    = "/var/tmp/bedrock-chat-build"
	binaryPath      = "/usr/local/bin/chatd"
	unitName        = "chatd.service"
	unitPath        = "/etc/systemd/system/" + unitName
)

// Options configures the rendered user-data. Render validates every field
// before it writes anything.
type Options struct {
	// Port is the TCP port the service listens on, from 1024 to 65535;
	// default DefaultPort. Lower ports would need CAP_NET_BIND_SERVICE,
	// which the unit never grants.
	Port int

	// ModelID is the Bedrock model ID or inference profile ARN the service
	// calls, set as CHAT_MODEL_ID. Required; letters, digits and ._:/- only.
	ModelID string

	// Region is the AWS Region of the Bedrock endpoint, such as us-east-1,
	// set as AWS_REGION. Required.
	Region string

	// Environment holds extra variables for the service, rendered into the
	// unit sorted by name. Names are letters, digits and underscores, not
	// starting with a digit, and may not be CHAT_LISTEN_ADDR, CHAT_MODEL_ID
	// or AWS_REGION, which the fields above set. Values may not contain
	// control characters. CHAT_UPSTREAM_TIMEOUT, when set, must be a
	// duration the service accepts, since it also sets the unit's
	// TimeoutStopSec. Default none.
	Environment map[string]string

	// ServiceUser is the system user the service runs as; default
	// DefaultServiceUser. Lowercase letters, digits, '_' and '-', starting
	// with a letter or '_', at most 32 characters, and not root.
	ServiceUser string

	// Source is the service's module, written to the instance and built
	// there; default app.SourceFiles(). Paths are relative, clean and
	// unique, and one of them is go.mod, with a go line such as "go 1.24".
	Source []app.SourceFile

	// GoProxy, when set, is the GOPROXY the instance builds the service
	// with, such as an organization's own module proxy. Default: empty,
	// which keeps the setting that Amazon Linux's Go package ships with.
	GoProxy string
}

// Document is rendered user-data in the two forms it is used in.
type Document struct {
	// CloudConfig is the plain #cloud-config document, for tests and review.
	CloudConfig []byte

	// Encoded is CloudConfig gzipped and base64 encoded, for the
	// user_data_base64 argument of aws_instance. Its gzipped form is at
	// most MaxSize bytes long.
	Encoded string
}

// Render validates opts and renders the user-data they describe. The same
// options always give the same bytes, so Terraform sees no change until the
// options or the service source change.
//
// NOTE: the service source is part of the user-data, so every change to it
// changes the document; whether that replaces the instance depends on the
// aws_instance's user_data_replace_on_change.
func Render(opts Options) (Document, error) {
	// Fill in defaults, then reject bad options before rendering anything.
	opts, err := withDefaults(opts)
	if err != nil {
		return Document{}, err
	}
	if err := validate(opts); err != nil {
		return Document{}, err
	}

	// Render the build script and the unit that the document writes.
	script, err := renderBuildScript(opts)
	if err != nil {
		return Document{}, err
	}
	unit, err := renderUnit(opts)
	if err != nil {
		return Document{}, err
	}

	// Lay out every file the instance needs: the source first, then the
	// script that builds it and the unit that runs the result.
	files := make([]file, 0, len(opts.Source)+2)
	for _, source := range opts.Source {
		files = append(files, file{
			path:        sourceDir + "/" + source.Path,
			permissions: "0644",
			content:     source.Content,
		})
	}
	files = append(files,
		file{path: buildScriptPath, permissions: "0750", content: script},
		file{path: unitPath, permissions: "0644", content: unit},
	)
	config := renderCloudConfig(opts.ServiceUser, files, buildScriptPath)

	// Compress and encode the document, and keep it within EC2's limit.
	compressed, err := compress(config)
	if err != nil {
		return Document{}, err
	}
	if len(compressed) > MaxSize {
		return Document{}, fmt.Errorf(
			"gzipped user-data is %d bytes, more than the %d bytes EC2 accepts",
			len(compressed), MaxSize)
	}
	return Document{
		CloudConfig: config,
		Encoded:     base64.StdEncoding.EncodeToString(compressed),
	}, nil
}

// withDefaults returns opts with every empty field set to its default.
func withDefaults(opts Options) (Options, error) {
	if opts.Port == 0 {
		opts.Port = DefaultPort
	}
	if opts.ServiceUser == "" {
		opts.ServiceUser = DefaultServiceUser
	}
	if opts.Source == nil {
		source, err := app.SourceFiles()
		if err != nil {
			return Options{}, fmt.Errorf("read service source: %w", err)
		}
		opts.Source = source
	}
	return opts, nil
}

// compress gzips document with fixed settings, so that the same document
// always gives the same bytes.
func compress(document []byte) ([]byte, error) {
	// Compress with no name and a zero modification time in the header.
	var compressed bytes.Buffer
	writer, err := gzip.NewWriterLevel(&compressed, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("create gzip writer: %w", err)
	}
	if _, err := writer.Write(document); err != nil {
		return nil, fmt.Errorf("compress user-data: %w", err)
	}
	if err := writer.Close(); err != nil {
		return nil, fmt.Errorf("compress user-data: %w", err)
	}

	return compressed.Bytes(), nil
}
