//go:build e2e && !linux

package e2e

import "syscall"

// childProcessAttr returns the attributes of every process the test starts:
// a process group of its own, so that a timeout can kill the process with
// whatever it started.
//
// NOTE: only Linux kills a child when the test binary dies; elsewhere a
// killed test can leave moto or Terraform running.
func childProcessAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
