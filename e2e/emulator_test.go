//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// emulatorReadyTimeout bounds the wait for moto to answer after start.
const emulatorReadyTimeout = time.Minute

// emulatorStopTimeout bounds the wait for moto to exit after SIGTERM, before
// it is killed.
const emulatorStopTimeout = 10 * time.Second

// emulator is a moto server started by the test, and the proxy in front of
// it that the provider talks to.
type emulator struct {
	// motoURL is moto's own address, which the SDK checks use.
	motoURL string
	// endpoint is the proxy's address, which Terraform uses.
	endpoint string
	// gaps fills in what moto lacks on the way to it.
	gaps *gapFiller
}

// startEmulator starts moto on a free loopback port with AWS's managed IAM
// policies loaded and ACM issuing requested certificates after
// acmValidationWait seconds, puts the gap-filling proxy in front of it, and stops
// both when the test ends, whatever happens.
func startEmulator(t *testing.T, motoBinary, logDir string) *emulator {
	t.Helper()

	// Moto picks no port of its own; take one the kernel says is free.
	port := freePort(t)
	motoURL := "http://127.0.0.1:" + strconv.Itoa(port)

	// The server logs every request; keep them beside the other logs.
	logFile, err := os.Create(filepath.Join(logDir, "moto.log"))
	require.NoError(t, err)
	t.Cleanup(func() { logFile.Close() })

	// Moto dies with the test binary, should that be killed before the
	// cleanups run.
	cmd := exec.Command(motoBinary, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true",
		"MOTO_ACM_VALIDATION_WAIT="+acmValidationWait)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = childProcessAttr()
	require.NoError(t, cmd.Start(), "start %s", motoBinary)
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() { stopProcess(t, cmd.Process, exited) })

	// Poll moto's own API until it answers, or give up.
	require.NoError(t, waitReady(motoURL+"/moto-api/", exited,
		stepTimeout(t, emulatorReadyTimeout)),
		"moto did not start; see %s", logFile.Name())

	// Terraform goes through the proxy, which fills moto's gaps.
	gaps := newGapFiller(t, motoURL)
	proxy := httptest.NewServer(gaps)
	t.Cleanup(proxy.Close)
	t.Cleanup(func() { gaps.report(t) })

	return &emulator{motoURL: motoURL, endpoint: proxy.URL, gaps: gaps}
}

// reset forgets every resource moto holds, so that each scenario starts
// from an empty account.
func (e *emulator) reset(t *testing.T) {
	t.Helper()
	response, err := http.Post(e.motoURL+"/moto-api/reset", "application/json", nil)
	require.NoError(t, err, "reset moto")
	response.Body.Close()
	require.Equal(t, http.StatusOK, response.StatusCode, "reset moto")
}

// freePort returns a loopback TCP port that nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port
}

// waitReady polls address until it answers 200, the process behind it
// exits, or timeout passes.
func waitReady(address string, exited <-chan struct{}, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("the server exited before answering %s", address)
		default:
		}
		if response, err := client.Get(address); err == nil {
			response.Body.Close()
			if response.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("no answer from %s within %s", address, timeout)
}

// stopProcess asks the process to stop by its own ID, and kills it when it
// has not exited in time.
func stopProcess(t *testing.T, process *os.Process, exited <-chan struct{}) {
	t.Helper()
	if err := process.Signal(syscall.SIGTERM); err != nil {
		return
	}
	select {
	case <-exited:
	case <-time.After(emulatorStopTimeout):
		t.Logf("moto (pid %d) ignored SIGTERM; killing it", process.Pid)
		process.Kill()
		<-exited
	}
}

// emulatorGaps names each request the proxy changes or answers itself,
// and why. Each is something AWS does and moto 5.2 does not; none changes
// what the stack asks for.
var emulatorGaps = map[string]string{
	gapRootVolumeSize: "moto refuses a block device mapping that has neither a size " +
		"nor a snapshot, which AWS takes from the image; the proxy adds the " +
		"size of Amazon Linux 2023's root snapshot",
	gapInterfaceGroups: "moto keeps the security groups of a primary network " +
		"interface given in RunInstances off the instance, where AWS reports " +
		"them; the proxy passes the interface's subnet and groups as the " +
		"instance's own, which AWS treats alike",
	gapEmptyAssociation: "moto answers an empty association element for an " +
		"interface with no public address, where AWS answers none, and the " +
		"provider reads its presence as a public address; the proxy drops it",
	gapMonitorInstances: "moto does not implement MonitorInstances, which the " +
		"provider calls after RunInstances for detailed monitoring; moto " +
		"already records monitoring from RunInstances, so the proxy " +
		"answers that it is enabled",
}

// emulatorBlindSpots names each assertion that a check leaves out when
// moto 5.2 does not report what AWS does, and why. A check that meets one
// logs it, and makes the assertion whenever moto does report the value.
var emulatorBlindSpots = map[string]string{
	blindSpotFlowLogGroupName: "moto reports a flow log's log group name only when " +
		"CreateFlowLogs named the group, and the provider names it by its ARN, " +
		"from which AWS derives the name; the check compares the destination " +
		"ARN instead",
}

// blindSpotFlowLogGroupName names the one assertion that
// emulatorBlindSpots leaves out.
const blindSpotFlowLogGroupName = "ec2:DescribeFlowLogs LogGroupName"

// skipBlindSpot logs that one of emulatorBlindSpots keeps a check from
// making an assertion.
func skipBlindSpot(t *testing.T, name string) {
	t.Helper()
	reason, ok := emulatorBlindSpots[name]
	require.True(t, ok, "no emulator blind spot is named %q", name)
	t.Logf("emulator blind spot, assertion skipped: %s: %s", name, reason)
}

// The names of the gaps the proxy fills.
const (
	gapRootVolumeSize   = "ec2:RunInstances root volume size"
	gapMonitorInstances = "ec2:MonitorInstances"
	gapInterfaceGroups  = "ec2:RunInstances primary interface groups"
	gapEmptyAssociation = "ec2 responses: empty association"
)

// emptyAssociation is the element moto writes for an interface with no
// public address.
const emptyAssociation = "<association/>"

// imageRootVolumeGiB is the size of the root snapshot of Amazon Linux
// 2023's AMIs, which AWS uses when a mapping gives none.
const imageRootVolumeGiB = "8"

// gapFiller forwards every request to moto, after filling in what moto
// lacks as emulatorGaps describes, and counts how often it did.
type gapFiller struct {
	proxy *httputil.ReverseProxy

	mu   sync.Mutex
	used map[string]int
}

// newGapFiller returns a gapFiller that forwards to target.
func newGapFiller(t *testing.T, target string) *gapFiller {
	t.Helper()
	address, err := url.Parse(target)
	require.NoError(t, err)
	g := &gapFiller{
		proxy: httputil.NewSingleHostReverseProxy(address),
		used:  map[string]int{},
	}
	g.proxy.ModifyResponse = g.dropEmptyAssociations
	return g
}

// dropEmptyAssociations removes the empty association elements from an
// EC2 answer.
func (g *gapFiller) dropEmptyAssociations(response *http.Response) error {
	if !strings.Contains(response.Header.Get("Content-Type"), "xml") {
		return nil
	}
	body, err := io.ReadAll(response.Body)
	response.Body.Close()
	if err != nil {
		return fmt.Errorf("read emulator response: %w", err)
	}
	if bytes.Contains(body, []byte(emptyAssociation)) {
		g.count(gapEmptyAssociation)
		body = bytes.ReplaceAll(body, []byte(emptyAssociation), nil)
	}
	response.Body = io.NopCloser(bytes.NewReader(body))
	response.ContentLength = int64(len(body))
	response.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// ServeHTTP fills a gap when the request is one of emulatorGaps, and
// forwards it otherwise.
func (g *gapFiller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Only EC2's form-encoded query requests are of interest.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read request body", http.StatusBadRequest)
		return
	}
	form := url.Values{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ = url.ParseQuery(string(body))
	}

	// Answer or rewrite the requests moto cannot take as they are.
	switch form.Get("Action") {
	case "MonitorInstances":
		g.count(gapMonitorInstances)
		writeMonitoringEnabled(w, form)
		return
	case "RunInstances":
		if sizeRootVolumes(form) {
			g.count(gapRootVolumeSize)
		}
		if liftPrimaryInterface(form) {
			g.count(gapInterfaceGroups)
		}
		body = []byte(form.Encode())
	}

	// Everything else goes to moto unchanged.
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	g.proxy.ServeHTTP(w, r)
}

// count records one use of a gap.
func (g *gapFiller) count(gap string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.used[gap]++
}

// report logs which gaps were filled, how often and why.
func (g *gapFiller) report(t *testing.T) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for gap, times := range g.used {
		t.Logf("emulator gap filled %d time(s): %s: %s", times, gap, emulatorGaps[gap])
	}
}

// sizeRootVolumes gives every EBS block device mapping of a RunInstances
// request that has neither a size nor a snapshot the image's size, and
// reports whether it changed one.
func sizeRootVolumes(form url.Values) bool {
	changed := false
	for i := 1; ; i++ {
		prefix := "BlockDeviceMapping." + strconv.Itoa(i) + "."
		if !form.Has(prefix + "DeviceName") {
			return changed
		}
		if form.Has(prefix+"Ebs.VolumeSize") || form.Has(prefix+"Ebs.SnapshotId") ||
			form.Has(prefix+"NoDevice") {
			continue
		}
		form.Set(prefix+"Ebs.VolumeSize", imageRootVolumeGiB)
		changed = true
	}
}

// liftPrimaryInterface turns a RunInstances request's one network interface
// into the instance's own subnet and security groups, and reports whether
// it did. A request with more than one interface, or with an interface
// that asks for a public address, is left alone.
func liftPrimaryInterface(form url.Values) bool {
	const primary = "NetworkInterface.1."
	if form.Has("NetworkInterface.2.DeviceIndex") || form.Get(primary+"DeviceIndex") != "0" ||
		form.Get(primary+"AssociatePublicIpAddress") == "true" {
		return false
	}
	for key, values := range form {
		field, ok := strings.CutPrefix(key, primary)
		if !ok {
			continue
		}
		switch {
		case field == "SubnetId":
			form["SubnetId"] = values
		case strings.HasPrefix(field, "SecurityGroupId."):
			form[field] = values
		}
		delete(form, key)
	}
	return true
}

// writeMonitoringEnabled answers a MonitorInstances request as EC2 does,
// with every instance's monitoring enabled.
func writeMonitoringEnabled(w http.ResponseWriter, form url.Values) {
	var items strings.Builder
	for i := 1; form.Has("InstanceId." + strconv.Itoa(i)); i++ {
		fmt.Fprintf(&items, "<item><instanceId>%s</instanceId>"+
			"<monitoring><state>enabled</state></monitoring></item>",
			html.EscapeString(form.Get("InstanceId."+strconv.Itoa(i))))
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<MonitorInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
<requestId>e2e-monitor-instances</requestId>
<instancesSet>%s</instancesSet>
</MonitorInstancesResponse>`, items.String())
}
