# Minimal Node base FROM scratch: the node binary from the npm `node` package plus exactly the shared
# libraries `ldd` lists, at their paths (staged in rootfs/ by harness/images/node-base.ts). No shell.
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin
CMD ["node"]
