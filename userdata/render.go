package userdata

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/bedrock-chat/stack/app"
	"github.com/bedrock-chat/stack/app/timeouts"
)

// templateFiles holds the build script and the systemd unit.
//
//go:embed templates/*.tmpl
var templateFiles embed.FS

// templates holds the parsed templateFiles; one that does not parse panics
// when the package loads, which fails every test.
var templates = template.Must(template.New("userdata").
	Option("missingkey=error").
	ParseFS(templateFiles, "templates/*.tmpl"))

// file is one entry of the document's write_files.
type file struct {
	path        string
	permissions string
	content     []byte
}

// renderBuildScript renders the script that builds, installs and starts the
// service.
func renderBuildScript(opts Options) ([]byte, error) {
	data := map[string]string{
		"SourceDir":  sourceDir,
		"WorkDir":    buildWorkDir,
		"BinaryPath": binaryPath,
		"UnitName":   unitName,
		"GoProxy":    opts.GoProxy,
		"GoVersion":  moduleGoVersion(opts.Source),
		"Version":    sourceVersion(opts.Source),
	}
	return execute("build.sh.tmpl", data)
}

// moduleGoVersion returns the version on the go line of the source's
// go.mod, the oldest Go that builds it, or "" when there is none.
func moduleGoVersion(files []app.SourceFile) string {
	for _, f := range files {
		if f.Path != "go.mod" {
			continue
		}
		for line := range strings.Lines(string(f.Content)) {
			if version, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
				return strings.TrimSpace(version)
			}
		}
	}
	return ""
}

// renderUnit renders the hardened systemd unit that runs the service with the
// environment that opts describe.
func renderUnit(opts Options) ([]byte, error) {
	// Merge the fixed variables into the extra ones, and quote each pair.
	environment := maps.Clone(opts.Environment)
	if environment == nil {
		environment = make(map[string]string, 3)
	}
	environment[envListenAddr] = ":" + strconv.Itoa(opts.Port)
	environment[envModelID] = opts.ModelID
	environment[envRegion] = opts.Region
	assignments := make([]string, 0, len(environment))
	for _, name := range sortedKeys(environment) {
		assignments = append(assignments, systemdQuote(name+"="+environment[name]))
	}

	// Let a stop outlast the service's own drain bound, then fill in the
	// unit's template.
	upstream, err := timeouts.ParseUpstream(environment[envUpstreamTimeout])
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", unitName, err)
	}
	data := map[string]any{
		"User":           opts.ServiceUser,
		"BinaryPath":     binaryPath,
		"Environment":    assignments,
		"TimeoutStopSec": stopTimeoutSeconds(upstream),
	}
	return execute("chatd.service.tmpl", data)
}

// stopMargin is how long systemd waits past the service's drain bound, for
// the service to close what is left and exit before it is killed.
const stopMargin = 5 * time.Second

// stopTimeoutSeconds returns the unit's TimeoutStopSec, in whole seconds
// rounded up: the drain bound for the upstream timeout, plus stopMargin.
func stopTimeoutSeconds(upstream time.Duration) int64 {
	stop := timeouts.Drain(upstream) + stopMargin
	return int64((stop + time.Second - 1) / time.Second)
}

// sourceVersion names a source tree by the first 12 hexadecimal digits of
// a SHA-256 over its paths and contents, so the running service can report
// which source it was built from.
func sourceVersion(files []app.SourceFile) string {
	digest := sha256.New()
	for _, f := range files {
		fmt.Fprintf(digest, "%s\x00%d\x00", f.Path, len(f.Content))
		digest.Write(f.Content)
	}
	return hex.EncodeToString(digest.Sum(nil))[:12]
}

// execute renders the named template with data.
func execute(name string, data any) ([]byte, error) {
	var out bytes.Buffer
	if err := templates.ExecuteTemplate(&out, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return out.Bytes(), nil
}

// systemdQuote returns s as a double-quoted unit file value: backslashes and
// quotes are escaped, and '%' is doubled so systemd does not read specifiers.
func systemdQuote(s string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `%`, `%%`).Replace(s)
	return `"` + escaped + `"`
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// renderCloudConfig writes the #cloud-config document that creates user,
// writes files and runs the script at command. Paths are validated or fixed,
// so they are safe as plain YAML scalars; the user name is quoted, since YAML
// would read a name such as "no" as a boolean.
func renderCloudConfig(user string, files []file, command string) []byte {
	var out bytes.Buffer

	// Keep the image's default user and add the service's own system user.
	out.WriteString("#cloud-config\n")
	out.WriteString("users:\n")
	out.WriteString("  - default\n")
	fmt.Fprintf(&out, "  - name: %q\n", user)
	out.WriteString("    system: true\n")
	out.WriteString("    shell: /sbin/nologin\n")
	out.WriteString("    no_create_home: true\n")
	out.WriteString("    lock_passwd: true\n")

	// Write every file, as a literal block where that keeps it byte for byte.
	out.WriteString("write_files:\n")
	for _, f := range files {
		fmt.Fprintf(&out, "  - path: %s\n", f.path)
		out.WriteString("    owner: root:root\n")
		fmt.Fprintf(&out, "    permissions: %q\n", f.permissions)
		writeContent(&out, f.content)
	}

	// Run the build script once cloud-init has written everything.
	out.WriteString("runcmd:\n")
	fmt.Fprintf(&out, "  - [%s]\n", command)
	return out.Bytes()
}

// writeContent writes the content key of a write_files entry: a literal
// block for text that YAML keeps unchanged, base64 for anything else.
func writeContent(out *bytes.Buffer, content []byte) {
	// Text goes in as it is, each line indented under the key, with the
	// chomping indicator that keeps its trailing line breaks.
	if literalSafe(content) {
		fmt.Fprintf(out, "    content: |%s\n", chomping(content))
		for line := range strings.Lines(string(content)) {
			if line != "\n" {
				out.WriteString("      ")
			}
			out.WriteString(line)
		}
		if !bytes.HasSuffix(content, []byte("\n")) {
			out.WriteString("\n")
		}
		return
	}

	// Anything else is base64, which cloud-init decodes when it writes.
	encoded := base64.StdEncoding.EncodeToString(content)
	if encoded == "" {
		encoded = `""`
	}
	out.WriteString("    encoding: b64\n")
	fmt.Fprintf(out, "    content: %s\n", encoded)
}

// chomping returns the literal block indicator that keeps the trailing line
// breaks of content: strip for none, clip for one and keep for more.
func chomping(content []byte) string {
	switch {
	case !bytes.HasSuffix(content, []byte("\n")):
		return "-"
	case bytes.HasSuffix(content, []byte("\n\n")):
		return "+"
	default:
		return ""
	}
}

// literalSafe reports whether a YAML literal block gives back exactly
// content: UTF-8 text with no characters that a YAML reader rejects or reads
// as a line break, whose first line with text does not start with a blank
// that would throw off the block's indentation.
func literalSafe(content []byte) bool {
	// Check that some line has text and the first such line starts with it.
	text := bytes.TrimLeft(content, "\n")
	if len(text) == 0 || text[0] == ' ' || text[0] == '\t' || !utf8.Valid(content) {
		return false
	}

	// Check each character.
	for _, r := range string(content) {
		switch {
		case r == '\t' || r == '\n':
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			return false
		case r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
			return false
		}
	}
	return true
}
