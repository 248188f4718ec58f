//go:build e2e

package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/stretchr/testify/require"

	"github.com/bedrock-chat/stack/config"
)

// certificateDomain is the name the test's certificate is issued for; the
// .test top-level domain is reserved, so it never names a real host.
const certificateDomain = "chat.example.test"

// certificateLifetime is how long the test's certificate stays valid. It
// starts an hour in the past, so that a clock a little behind accepts it.
const certificateLifetime = 24 * time.Hour

// importCertificate makes a self-signed certificate for certificateDomain,
// imports it into the emulator's ACM, and returns the setting that hands
// its ARN to the stack.
func importCertificate(t *testing.T, ctx context.Context, awsConfig aws.Config) map[string]string {
	t.Helper()

	// The certificate is made here: the emulator issues none that a load
	// balancer accepts, and an imported one is what a user brings.
	certificatePEM, keyPEM, err := selfSignedCertificate(certificateDomain, time.Now())
	require.NoError(t, err)

	// ACM returns the ARN that the listener will name.
	imported, err := acm.NewFromConfig(awsConfig).ImportCertificate(ctx,
		&acm.ImportCertificateInput{
			Certificate: certificatePEM,
			PrivateKey:  keyPEM,
		})
	require.NoError(t, err, "import the certificate into the emulator's acm")
	arn := aws.ToString(imported.CertificateArn)
	require.NotEmpty(t, arn, "acm returned no certificate arn")
	t.Logf("imported a certificate for %s: %s", certificateDomain, arn)

	return map[string]string{config.EnvCertificateARN: arn}
}

// selfSignedCertificate returns a PEM-encoded server certificate for
// domain, valid from an hour before now for certificateLifetime, and its
// new ECDSA P-256 private key in PEM-encoded PKCS #8. Everything but the
// key and the validity is fixed.
func selfSignedCertificate(domain string, now time.Time) (certificatePEM, keyPEM []byte,
	err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate the certificate key: %w", err)
	}

	// The certificate signs itself, for the one domain, as a TLS server.
	notBefore := now.Add(-time.Hour).Truncate(time.Minute)
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: domain, Organization: []string{"e2e"}},
		DNSNames:              []string{domain},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(certificateLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	certificateDER, err := x509.CreateCertificate(rand.Reader, template, template,
		&key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("create the certificate for %s: %w", domain, err)
	}

	// Both go to ACM as PEM, the key unencrypted as ACM requires.
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encode the certificate key: %w", err)
	}
	certificatePEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certificateDER})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certificatePEM, keyPEM, nil
}
