#!/usr/bin/env bash
# Builds Traefik from its Go module, version-stamped and static.
# Usage: build-traefik.sh OUT_DIR WORK_DIR   (TRAEFIK_VERSION from the environment, see harness/ingress/traefik-image.ts)
# Re-running resumes: the copy is made afresh (seconds), Go's build cache makes finished packages free.
set -euo pipefail
out=$1 work=$2
: "${TRAEFIK_VERSION:?}"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

# The module download is not buildable as it is, so the build runs in a writable copy that fills four gaps:
#  - webui/static (the dashboard, built by yarn, embedded by webui/embed.go) is not in the module: a placeholder page;
#  - pkg/config/dynamic/ext, a nested module go.mod replaces by path, is not either: a stub of its two empty structs;
#  - the containous fork of go-http-auth is not served by the module proxy here: v0.4.0 plus the two functions
#    Traefik takes from the fork (traefik/go_http_auth_drainspec.go);
#  - lego's DNS providers need SDKs the proxy does not serve: the ACME DNS challenge is cut out (an error if configured).
echo "== traefik $TRAEFIK_VERSION"
src="$work/traefik-$TRAEFIK_VERSION"
# Module files are read-only; an earlier copy is made writable before it is replaced.
chmod -R u+w "$src" "$work/go-http-auth" 2>/dev/null || true
rm -rf "$src" "$work/go-http-auth"
cp -r "$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | jq -r .Dir)" "$src"
chmod -R u+w "$src"

mkdir -p "$src/webui/static"
printf '<!doctype html><title>Traefik</title><p>Dashboard not built (drainspec build from the Go module).</p>\n' > "$src/webui/static/index.html"

ext="$src/pkg/config/dynamic/ext"
mkdir -p "$ext"
printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n' > "$ext/go.mod"
printf 'package ext\n\n// HTTP extends dynamic.HTTP.\ntype HTTP struct{}\n\n// Router extends dynamic.Router.\ntype Router struct{}\n' > "$ext/ext.go"

cp -r "$(go mod download -json github.com/abbot/go-http-auth@v0.4.0 | jq -r .Dir)" "$work/go-http-auth"
chmod -R u+w "$work/go-http-auth"
printf 'module github.com/abbot/go-http-auth\n\ngo 1.16\n' > "$work/go-http-auth/go.mod"
cp "$here/traefik/go_http_auth_drainspec.go" "$work/go-http-auth/"
(cd "$src" && go mod edit -replace "github.com/abbot/go-http-auth=$work/go-http-auth")

acme="$src/pkg/provider/acme/provider.go"
grep -q '"github.com/go-acme/lego/v5/providers/dns"' "$acme" && grep -q 'dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)' "$acme" \
  || { echo "pkg/provider/acme/provider.go changed upstream: update the DNS challenge cut in $0" >&2; exit 1; }
sed -i -e '/"github.com\/go-acme\/lego\/v5\/providers\/dns"/d' \
  -e 's|dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)|nil, fmt.Errorf("DNS challenge provider %q: not in this build (drainspec)", p.DNSChallenge.Provider)|' "$acme"

pkg=github.com/traefik/traefik/v3/pkg/version
(cd "$src" && go build -p 2 -trimpath \
  -ldflags "-s -w -X $pkg.Version=$TRAEFIK_VERSION -X $pkg.Codename=drainspec -X $pkg.BuildDate=1970-01-01T00:00:00Z" \
  -o "$out/traefik" ./cmd/traefik)

"$out/traefik" version
echo "== done"
