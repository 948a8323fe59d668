# Sourced first by every kernel test script: they change kernel state, so they
# refuse to run anywhere but inside tools/sandbox (which records its namespace's
# identity in /run/podnetc-sandbox, on a /run only the sandbox sees).
if [ "$(cat /run/podnetc-sandbox 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]; then
    echo "$0: refusing to run outside tools/sandbox (it changes kernel state)" >&2
    exit 77
fi
