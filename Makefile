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
.PHONY: synth test test-stack test-app fuzz deploy destroy clean

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

synth: node_modules
	cdktf synth

test: node_modules test-stack test-app fuzz

test-stack:
	go vet ./...
	go test ./...

test-app:
	cd $(APP_DIR) && go vet ./... && go test ./...

fuzz:
	cd $(APP_DIR) && go test ./internal/server -run '^$$' -fuzz FuzzDecodeChatRequest -fuzztime $(FUZZ_TIME)

deploy: node_modules
	cdktf deploy

destroy: node_modules
	cdktf destroy

clean:
	rm -rf cdktf.out
