package compliance

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// hclParser reads the subset of HCL expression syntax that CDKTF writes
// inside ${jsonencode(...)}: objects, tuples, quoted strings, numbers,
// booleans, null and bare references.
//
// NOTE: function calls, operators, conditionals and for expressions are not
// understood; parseHCLValue returns an error for them, and the rule that
// asked reports the policy as one it cannot evaluate.
type hclParser struct {
	src []rune
	pos int
}

// parseHCLValue parses src as one HCL value and converts it to the shapes
// that encoding/json produces. A bare reference becomes the string
// "${reference}", so that references keep working on it.
func parseHCLValue(src string) (any, error) {
	p := &hclParser{src: []rune(src)}
	value, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q after the value", p.src[p.pos])
	}
	return value, nil
}

// errorf returns a parse error that names the offset.
func (p *hclParser) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// skipSpace moves past white space, including new lines.
func (p *hclParser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// peek returns the next rune after white space, or 0 at the end.
func (p *hclParser) peek() rune {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

// value parses any supported value.
func (p *hclParser) value() (any, error) {
	switch c := p.peek(); {
	case c == 0:
		return nil, p.errorf("unexpected end of expression")
	case c == '{':
		return p.object()
	case c == '[':
		return p.tuple()
	case c == '"':
		return p.quoted()
	case c == '-' || unicode.IsDigit(c):
		return p.number()
	case c == '_' || unicode.IsLetter(c):
		return p.word()
	default:
		return nil, p.errorf("unsupported %q", c)
	}
}

// object parses { key = value, ... }, where keys are names or strings and
// the separator is "=" or ":".
func (p *hclParser) object() (any, error) {
	p.pos++
	out := map[string]any{}
	for {
		// Stop at the closing brace, which may follow a trailing comma.
		if p.peek() == '}' {
			p.pos++
			return out, nil
		}

		// Read the key, then its separator and its value.
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c != '=' && c != ':' {
			return nil, p.errorf("want = or : after key %q", key)
		}
		p.pos++
		value, err := p.value()
		if err != nil {
			return nil, err
		}
		out[key] = value

		// Expect a separator or the end of the object.
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
		default:
			if !p.newlineBefore() {
				return nil, p.errorf("want , or } after the value of %q", key)
			}
		}
	}
}

// newlineBefore reports whether a new line separates the current position
// from the previous value, which HCL accepts in place of a comma.
func (p *hclParser) newlineBefore() bool {
	for i := p.pos - 1; i >= 0 && unicode.IsSpace(p.src[i]); i-- {
		if p.src[i] == '\n' {
			return true
		}
	}
	return false
}

// key parses an object key, a quoted string or a bare name.
func (p *hclParser) key() (string, error) {
	if p.peek() == '"' {
		k, err := p.quoted()
		if err != nil {
			return "", err
		}
		return k.(string), nil
	}
	start := p.pos
	for p.pos < len(p.src) && isNameRune(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return "", p.errorf("want an object key")
	}
	return string(p.src[start:p.pos]), nil
}

// tuple parses [ value, ... ].
func (p *hclParser) tuple() (any, error) {
	p.pos++
	out := []any{}
	for {
		if p.peek() == ']' {
			p.pos++
			return out, nil
		}
		value, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, value)
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
		default:
			return nil, p.errorf("want , or ] in a list")
		}
	}
}

// quoted parses a string with escapes, keeping ${...} templates verbatim.
func (p *hclParser) quoted() (any, error) {
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\' && p.pos+1 < len(p.src):
			b.WriteRune(unescape(p.src[p.pos+1]))
			p.pos += 2
		case c == '$' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '{':
			end, err := p.templateEnd()
			if err != nil {
				return nil, err
			}
			b.WriteString(string(p.src[p.pos:end]))
			p.pos = end
		default:
			b.WriteRune(c)
			p.pos++
		}
	}
	return nil, p.errorf("unterminated string")
}

// templateEnd returns the position just after the brace that closes the
// template starting at the current position.
func (p *hclParser) templateEnd() (int, error) {
	depth := 0
	inString := false
	for i := p.pos + 1; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && c == '{':
			depth++
		case !inString && c == '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
	}
	return 0, p.errorf("unterminated template")
}

// unescape returns the rune that a backslash escape stands for.
func unescape(c rune) rune {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	default:
		return c
	}
}

// number parses a numeric literal.
func (p *hclParser) number() (any, error) {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && strings.ContainsRune("0123456789.eE+-", p.src[p.pos]) {
		p.pos++
	}
	text := string(p.src[start:p.pos])
	var n json.Number
	if err := json.Unmarshal([]byte(text), &n); err != nil {
		return nil, p.errorf("bad number %q", text)
	}
	return n, nil
}

// word parses true, false, null or a bare reference such as
// aws_s3_bucket.logs.arn, and refuses a function call.
func (p *hclParser) word() (any, error) {
	// Read names, dots, splats and whole index brackets.
	start := p.pos
	depth := 0
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		if c == '[' {
			depth++
		} else if c == ']' && depth > 0 {
			depth--
		} else if depth == 0 && !isNameRune(c) && c != '.' && c != '*' {
			break
		}
	}
	if depth > 0 {
		return nil, p.errorf("unterminated index in %s", string(p.src[start:p.pos]))
	}
	text := string(p.src[start:p.pos])

	// Tell literals from references and refuse function calls.
	switch text {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if p.peek() == '(' {
		return nil, p.errorf("function call %s(...) is not supported", text)
	}
	return "${" + text + "}", nil
}

// isNameRune reports whether c may appear in an HCL identifier.
func isNameRune(c rune) bool {
	return c == '_' || c == '-' || unicode.IsLetter(c) || unicode.IsDigit(c)
}
