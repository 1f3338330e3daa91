import ApexEngine
import Foundation

/// Tells whether the owner of a lease is a process of this machine that has exited, so that
/// `apex resume` after a crash takes the run over at once instead of waiting for the lease to
/// expire, on any store.
///
/// ``EngineFactory`` names an engine `host:pid/suffix@kernel`, where `kernel` is this boot of
/// this machine's kernel and the PID namespace (``kernelIdentity``): a process id means the
/// same process only where both are the same, which a host name alone does not show (two
/// machines may share a name; containers on one kernel have their own process ids).
enum LeaseOwnerProbe {
    /// The boot id of the kernel (random at each boot) and the inode of this process's PID
    /// namespace, `6dd1051b1733-4026531836`; nil where /proc does not tell.
    static let kernelIdentity: String? = {
        guard let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8),
              let namespace = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid"),
              let open = namespace.firstIndex(of: "["), let close = namespace.lastIndex(of: "]") else { return nil }
        let bootID = boot.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(bootID)-\(namespace[namespace.index(after: open)..<close])"
    }()

    /// The owner name of an engine of this process: `host:pid/suffix`, with `@kernel` when known.
    static func ownerName(process name: String, suffix: String) -> String {
        kernelIdentity.map { "\(name)/\(suffix)@\($0)" } ?? "\(name)/\(suffix)"
    }

    /// The probe of this process.
    static let probe: @Sendable (String) -> Bool = { owner in isGone(owner, kernel: kernelIdentity) }

    /// True only when `owner` was named under `kernel` (so its process id is one of this
    /// kernel and namespace) and no process has that id now, or it is a zombie (exited, not
    /// yet reaped by its parent). A reused id reads as alive: the caller then waits for the
    /// lease to expire, as without a probe.
    static func isGone(_ owner: String, kernel: String?) -> Bool {
        guard let kernel, let at = owner.lastIndex(of: "@"), owner[owner.index(after: at)...] == kernel,
              let slash = owner[..<at].lastIndex(of: "/") else { return false }
        let name = owner[..<slash]
        guard let colon = name.lastIndex(of: ":"), let pid = pid_t(name[name.index(after: colon)...]), pid > 0 else { return false }
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
