#!/usr/bin/env bash
# Builds every binary a drainspec kind node needs from Go modules, version-stamped and static.
# Usage: build-binaries.sh OUT_DIR WORK_DIR   (versions come from the environment, see build-artifacts.ts)
# Re-running resumes: Go's build cache makes finished packages free.
set -euo pipefail
out=$1 work=$2
: "${KUBERNETES_VERSION:?}" "${ETCD_VERSION:?}" "${COREDNS_VERSION:?}" "${CRICTL_VERSION:?}" "${CNI_PLUGINS_VERSION:?}" "${KIND_VERSION:?}"
mkdir -p "$out" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
build=(go build -p 2 -trimpath)

# Each finished stage leaves a marker in OUT_DIR, so an interrupted build resumes where it stopped.
stage() { echo "== $*"; }
done_before() { [ -f "$out/.stage-$1" ] && echo "   (already built)"; }
finish() { touch "$out/.stage-$1"; }

# Kubernetes: k8s.io/kubernetes replaces its staging modules with ./staging paths, which a module download
# omits; a wrapper module pins each of them to its published v0.x twin instead.
stage kubernetes "$KUBERNETES_VERSION"
if ! done_before kubernetes; then
k8s_dir=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | jq -r .Dir)
staging_version="v0${KUBERNETES_VERSION#v1}"
mkdir -p "$work/kubernetes"
{
  echo "module drainspec.local/kubernetes"
  echo "go 1.24"
  echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
  echo "replace ("
  grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$k8s_dir/go.mod" | awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
  echo ")"
} > "$work/kubernetes/go.mod"
IFS=. read -r major minor _ <<< "${KUBERNETES_VERSION#v}"
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitCommit=0000000000000000000000000000000000000000 -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
(cd "$work/kubernetes" && "${build[@]}" -ldflags "-s -w $ldflags" -o "$out/" \
  k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy)
finish kubernetes
fi

# etcd: its server module also replaces siblings by path; pin them to the same release.
stage etcd "$ETCD_VERSION"
if ! done_before etcd; then
# client/v2 keeps the v2 major version: etcd 3.5.N ships it as v2.305.N.
etcd_client_v2="v2.305.${ETCD_VERSION##*.}"
mkdir -p "$work/etcd"
cat > "$work/etcd/go.mod" <<MOD
module drainspec.local/etcd
go 1.24
require go.etcd.io/etcd/server/v3 $ETCD_VERSION
replace (
	go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 => go.etcd.io/etcd/client/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/v2 => go.etcd.io/etcd/client/v2 $etcd_client_v2
	go.etcd.io/etcd/client/v3 => go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/raft/v3 => go.etcd.io/etcd/raft/v3 $ETCD_VERSION
)
MOD
printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > "$work/etcd/main.go"
(cd "$work/etcd" && "${build[@]}" -ldflags "-s -w" -o "$out/etcd" .)
finish etcd
fi

stage coredns "$COREDNS_VERSION"
mkdir -p "$work/coredns"
printf 'module drainspec.local/coredns\n\ngo 1.24\n\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" > "$work/coredns/go.mod"
(cd "$work/coredns" && "${build[@]}" -ldflags "-s -w" -o "$out/coredns" github.com/coredns/coredns)

stage crictl "$CRICTL_VERSION"
mkdir -p "$work/crictl"
printf 'module drainspec.local/crictl\n\ngo 1.24\n\nrequire sigs.k8s.io/cri-tools %s\n' "$CRICTL_VERSION" > "$work/crictl/go.mod"
(cd "$work/crictl" && "${build[@]}" -ldflags "-s -w" -o "$out/crictl" sigs.k8s.io/cri-tools/cmd/crictl)

stage cni-plugins "$CNI_PLUGINS_VERSION"
mkdir -p "$work/cni" "$out/cni"
printf 'module drainspec.local/cni\n\ngo 1.24\n\nrequire github.com/containernetworking/plugins %s\n' "$CNI_PLUGINS_VERSION" > "$work/cni/go.mod"
(cd "$work/cni" && "${build[@]}" -ldflags "-s -w" -o "$out/cni/" \
  github.com/containernetworking/plugins/plugins/main/ptp github.com/containernetworking/plugins/plugins/main/bridge \
  github.com/containernetworking/plugins/plugins/main/loopback github.com/containernetworking/plugins/plugins/ipam/host-local \
  github.com/containernetworking/plugins/plugins/meta/portmap)

stage pause
mkdir -p "$work/pause"
cp "$(dirname "$0")/pause/main.go" "$work/pause/main.go"
printf 'module drainspec.local/pause\n\ngo 1.24\n' > "$work/pause/go.mod"
(cd "$work/pause" && "${build[@]}" -ldflags "-s -w" -o "$out/pause" .)

stage kind "$KIND_VERSION"
GOBIN="$out" go install -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"

"$out/kubeadm" version -o short
echo "== done"
