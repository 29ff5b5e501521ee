#!/bin/sh
# drainspec-cni: a minimal pod network for a kind cluster built without a registry.
# Writes a ptp + host-local CNI config for this node's podCIDR, routes every other node's podCIDR via its
# InternalIP, and masquerades pod traffic leaving the pod network. Runs as a hostNetwork DaemonSet pod.
set -eu
: "${NODE_NAME:?}" "${POD_SUBNET:?}" "${CONTROL_PLANE_ENDPOINT:?}"
sa=/var/run/secrets/kubernetes.io/serviceaccount
api() {
  kubectl --server "https://$CONTROL_PLANE_ENDPOINT" --certificate-authority "$sa/ca.crt" \
    --token "$(cat "$sa/token")" "$@"
}
log() { echo "drainspec-cni: $*"; }

pod_cidr=""
while [ -z "$pod_cidr" ]; do
  pod_cidr=$(api get node "$NODE_NAME" -o jsonpath='{.spec.podCIDR}' 2>/dev/null || true)
  [ -n "$pod_cidr" ] || sleep 1
done
log "node $NODE_NAME podCIDR $pod_cidr"

conf=/host/etc/cni/net.d/10-drainspec.conflist
cat > "$conf.tmp" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "drainspec",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "mtu": 1500,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$pod_cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
mv "$conf.tmp" "$conf"

iptables -w -t nat -C POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment drainspec-cni -j MASQUERADE 2>/dev/null \
  || iptables -w -t nat -A POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment drainspec-cni -j MASQUERADE

template='{range .items[*]}{.metadata.name}{" "}{.spec.podCIDR}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}'
while true; do
  api get nodes -o jsonpath="$template" 2>/dev/null | while read -r name cidr address; do
    [ "$name" = "$NODE_NAME" ] || [ -z "$cidr" ] || [ -z "$address" ] && continue
    if ! ip route show "$cidr" | grep -q "via $address"; then
      ip route replace "$cidr" via "$address" && log "route $cidr via $address ($name)"
    fi
  done
  sleep 5
done
