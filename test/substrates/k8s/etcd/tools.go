//go:build tools

// Pins the etcd server the test cluster runs (scripts/substrates/k8s.sh builds go.etcd.io/etcd/server/v3 from here).
package tools

import _ "go.etcd.io/etcd/server/v3"
