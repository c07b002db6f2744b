#!/usr/bin/env bash
# Kubernetes for the tests: etcd v3.6.16, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl v1.37.2,
# kwok v0.8.0 and metrics-server v0.8.0 built from the Go module proxy (nothing prebuilt is reachable). The modules
# that pin the builds are test/substrates/k8s/{go.mod,go.sum,tools.go} and test/substrates/k8s/etcd/.
# Not Debian's etcd-server: its 3.4.23 cannot answer watch-progress requests, so a 1.37 API server refuses
# client-go's streaming lists and every controller and kwok learn of changes only at their next re-list (a
# three-pod rollout took 30-120 s instead of under a second).
# Built once, cached by version in ${HELM_CLOUD_CACHE:-~/.cache/helm-cloud}/k8s-v1.37.2/bin/. Idempotent.
set -euo pipefail
mode=${1:-test}
[ "$mode" = test ] || exit 0 # the demo runs on moto; only the tests start a cluster
cd "$(dirname "$0")/../.."
K8S=v1.37.2 KWOK=v0.8.0 MS=v0.8.0 ETCD=v3.6.16
CACHE=${HELM_CLOUD_CACHE:-$HOME/.cache/helm-cloud}
BIN=$CACHE/k8s-$K8S/bin
say() { echo "setup: k8s: $*" >&2; }

# A cached etcd of another version is rebuilt (the folder is keyed by the Kubernetes version only).
if [ -x "$BIN/etcd" ] && ! "$BIN/etcd" --version 2>/dev/null | grep -qx "etcd Version: ${ETCD#v}"; then rm -f "$BIN/etcd"; fi
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok metrics-server; do
  [ -x "$BIN/$b" ] || missing=1
done
[ -z "${missing:-}" ] && exit 0
if ! command -v go >/dev/null 2>&1; then
  say "Go 1.26 or newer is needed to build the Kubernetes binaries (https://go.dev/dl, or \`apt-get install golang\` where it is new enough)"; exit 1
fi
mkdir -p "$CACHE"
exec 9>"$CACHE/k8s-$K8S.lock"
flock 9 # a second setup waits for the first build instead of starting its own
work=$(mktemp -d "$CACHE/k8s-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/bin; mkdir -p "$out" "$BIN"
if ! [ -x "$BIN/kube-apiserver" ] || ! [ -x "$BIN/kube-controller-manager" ] || ! [ -x "$BIN/kube-scheduler" ] || ! [ -x "$BIN/kubectl" ]; then
  cp test/substrates/k8s/go.mod test/substrates/k8s/go.sum test/substrates/k8s/tools.go "$work/"
  say "downloading the Kubernetes $K8S modules (~1 min, ~700 MB module cache, once)"
  (cd "$work" && go mod download)
  say "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $K8S (~11 min on 2 cores, up to 2.4 GB RAM, once)"
  (cd "$work" && go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
fi
if ! [ -x "$BIN/etcd" ]; then
  say "building etcd $ETCD (~1 min, once)"
  mkdir -p "$work/etcd" && cp test/substrates/k8s/etcd/go.mod test/substrates/k8s/etcd/go.sum test/substrates/k8s/etcd/tools.go "$work/etcd/"
  (cd "$work/etcd" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
fi
if ! [ -x "$BIN/kwok" ]; then
  say "building kwok $KWOK (~2 min, once)"
  GOBIN=$out go install -trimpath "sigs.k8s.io/kwok/cmd/kwok@$KWOK"
fi
if ! [ -x "$BIN/metrics-server" ]; then
  say "building metrics-server $MS (~3.5 min, once)"
  GOBIN=$out go install -trimpath "sigs.k8s.io/metrics-server/cmd/metrics-server@$MS"
fi
# Moved in only when built, so an interrupted build is never mistaken for a finished one.
mv "$out"/* "$BIN/"
say "cached in $BIN; removing the Go build cache (it grows to ~6 GB)"
go clean -cache
