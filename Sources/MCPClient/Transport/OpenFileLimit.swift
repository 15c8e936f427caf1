import Glibc

/// The process's open-file limit (`RLIMIT_NOFILE`). Each stdio server takes three pipes (six descriptors, three
/// kept open by Gatehouse), so a fleet of servers runs into the usual soft limit of 1 024 long before the
/// machine's. Gatehouse raises the soft limit to the hard one at start, and a spawn that still runs out says
/// so, with the limit and how to raise it.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit; returns the limit now in force (nil when it cannot be read).
    @discardableResult
    public static func raiseToHardLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    /// `strerror(code)`, and for running out of descriptors (`EMFILE`, `ENFILE`) the limit and how to raise it.
    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard code == EMFILE || code == ENFILE else { return text }
        var limit = rlimit()
        let soft = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? "\(limit.rlim_cur)" : "unknown"
        let scope = code == EMFILE ? "this process's open-file limit is \(soft)" : "the system's open-file table is full"
        return "\(text) (\(scope); each stdio server needs three pipes: raise the hard limit with `ulimit -Hn` or run fewer servers at once with --parallel)"
    }
}
