// Package e2e deploys the synthesized stack to an AWS emulator and checks
// what was created. Its tests sit behind the build tag e2e, because they
// need Terraform or OpenTofu, the AWS provider, the CDKTF CLI and moto, and
// take minutes:
//
//	go test -tags e2e -count=1 -timeout 30m ./e2e
//
// Without the tag the package holds no tests, so `go test ./...` and
// `go vet ./...` pass on a machine that has none of these tools.
package e2e
