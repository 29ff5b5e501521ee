# Node base on the locally built Debian image: the node binary from the npm `node` package
# (staged in rootfs/ by harness/images/node-base.ts); Debian already carries its shared libraries.
ARG DEBIAN_BASE=drainspec/debian-base:bookworm
FROM ${DEBIAN_BASE}
COPY rootfs/usr/local/bin/node /usr/local/bin/node
RUN ["/usr/local/bin/node", "-e", "process.exit(process.versions.node.split('.')[0] >= 24 ? 0 : 1)"]
CMD ["node"]
