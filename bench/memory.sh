# Sourced by compare.sh and stages.sh: what memory the runs have.
#
# On tmpfs an output is memory too: a 50k output is about 5 GB. When the machine runs
# short (old outputs left in /dev/shm, say), the kernel reclaims memory during the runs,
# and builds measure that: more system time, and stage times swelling with the corpus.

# memory_note KIB_NEEDED: prints a report line on the memory available, and a warning on
# stderr and in the report when it is less than KIB_NEEDED.
memory_note() {
    local need=$1 avail
    avail=$(awk '/MemAvailable/ {print $2}' /proc/meminfo 2>/dev/null || true)
    [[ -n $avail ]] || { echo "- memory available: unknown"; return; }
    echo "- memory available: $(awk -v k="$avail" 'BEGIN {printf "%.1f GiB", k / 1048576}')"
    if ((avail < need)); then
        local msg
        msg=$(awk -v k="$need" 'BEGIN {printf "%.1f GiB", k / 1048576}')
        msg="warning: less memory is available than these runs need (about $msg with their outputs); the kernel may reclaim memory during the runs and the times will show it. Free some (old outputs on tmpfs?) and run again."
        echo "$msg" >&2
        echo "- **$msg**"
    fi
}
