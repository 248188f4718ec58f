module github.com/bedrock-chat/stack

go 1.26

require github.com/bedrock-chat/stack/app v0.0.0

require (
	github.com/Masterminds/semver/v3 v3.3.1 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.4.2 // indirect
	github.com/aws/jsii-runtime-go v1.111.0 // indirect
	github.com/cdktf/cdktf-provider-aws-go/aws/v19 v19.65.1 // indirect
	github.com/hashicorp/terraform-cdk-go/cdktf v0.20.12 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/bedrock-chat/stack/app => ./app
