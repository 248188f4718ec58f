//go:build e2e

package e2e

import "syscall"

// childProcessAttr returns the attributes of every process the test starts:
// a process group of its own, so that a timeout can kill the process with
// whatever it started, and SIGKILL when the test binary dies, so that no
// emulator or Terraform outlives a crashed or killed test.
//
// NOTE: the signal reaches only the process the test started. What that
// process started itself, such as the Terraform that cdktf runs, survives a
// killed test binary unless its parent stops it in turn.
func childProcessAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
