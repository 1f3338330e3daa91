import ApexEngine
import ApexStoreSQLite
import Foundation

/// Tells whether the owner of a lease (`host:pid/suffix`, as ``EngineFactory`` names engines)
/// is a process of this machine that has exited, so that `apex resume` after a crash takes
/// the run over at once instead of waiting for the lease to expire.
enum LeaseOwnerProbe {
    /// The probe for `store`: only a SQLite file's owners are all processes of this machine;
    /// on a shared server two machines may have the same name, so nothing is assumed there.
    static func probe(for store: any RunStore) -> @Sendable (String) -> Bool {
        guard store is SQLiteRunStore else { return { _ in false } }
        let host = ProcessInfo.processInfo.hostName
        return { owner in isGone(owner, host: host) }
    }

    /// True only when `owner` names `host` and a process id that no process has now, or a
    /// zombie (exited, not yet reaped by its parent). A reused id reads as alive: the caller
    /// then waits for the lease to expire, as without a probe.
    static func isGone(_ owner: String, host: String) -> Bool {
        guard let slash = owner.lastIndex(of: "/") else { return false }
        let name = owner[..<slash]
        guard let colon = name.lastIndex(of: ":"), name[..<colon] == host,
              let pid = pid_t(name[name.index(after: colon)...]), pid > 0 else { return false }
        if kill(pid, 0) != 0 { return errno == ESRCH }
        return isZombie(pid)
    }

    /// The state field of /proc/PID/stat (after the parenthesised command name) is `Z`.
    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }
}
