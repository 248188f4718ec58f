# Two commands set up and check everything on a fresh machine:
#   make synth   install the pinned CDKTF CLI, build and synthesize into cdktf.out/
#   make test    run the whole test suite
# The CLI and a current Node.js come from package.json through npm ci; the
# folder node_modules/.bin goes first on the PATH so that both are used.

export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
# The CDKTF CLI and Terraform skip their version checks over the network.
export CHECKPOINT_DISABLE := 1

# Go tests of the service run in its own module, app/.
APP_DIR := app
# How long the test suite fuzzes the service's request decoding.
FUZZ_TIME ?= 10s
# The scanner gate: trivy, built from the Go module proxy into bin/.
TRIVY_VERSION := v0.74.0
TRIVY := $(CURDIR)/bin/trivy
# The HCL form of the stack that trivy scans; trivy does not read nested
# blocks in .tf.json files.
SCAN_DIR := cdktf.out.scan
# A certificate ARN of the right shape, so the scanned stack is the one a
# team deploys with HTTPS; set CHAT_STACK_CERTIFICATE_ARN to scan your own.
SCAN_CERTIFICATE_ARN := arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000

.PHONY: synth test test-stack test-app fuzz scan e2e deploy destroy clean

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

synth: node_modules
	cdktf synth

test: node_modules test-stack test-app fuzz

# The Go packages of the stack; npm's node_modules/ ships a Go package of its
# own, which is not ours to test.
STACK_PACKAGES = $(shell go list ./... | grep -v /node_modules/)

test-stack:
	go vet $(STACK_PACKAGES)
	go test $(STACK_PACKAGES)

test-app:
	cd $(APP_DIR) && go vet ./... && go test ./...

fuzz:
	cd $(APP_DIR) && go test ./internal/server -run '^$$' -fuzz FuzzDecodeChatRequest -fuzztime $(FUZZ_TIME)

$(TRIVY):
	GOBIN=$(CURDIR)/bin GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@$(TRIVY_VERSION)

scan: node_modules $(TRIVY)
	rm -rf $(SCAN_DIR)
	SYNTH_HCL_OUTPUT=true CHAT_STACK_STRICT=true \
	CHAT_STACK_CERTIFICATE_ARN=$${CHAT_STACK_CERTIFICATE_ARN:-$(SCAN_CERTIFICATE_ARN)} \
		cdktf synth --output $(SCAN_DIR)
	$(TRIVY) config --skip-check-update --skip-version-check --quiet \
		--severity HIGH,CRITICAL --exit-code 1 \
		--ignorefile .trivyignore.yaml $(SCAN_DIR)/stacks/bedrock-chat

# Deploys the stack to moto, an AWS emulator on this machine, checks it
# through the AWS SDK, plans again and destroys it.
e2e: node_modules
	go test -tags e2e -count=1 -timeout 30m ./e2e

deploy: node_modules
	cdktf deploy

destroy: node_modules
	cdktf destroy

clean:
	rm -rf cdktf.out $(SCAN_DIR) bin
