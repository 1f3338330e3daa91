import Foundation

/// This process's memory, as the kernel reports it.
enum ProcessMemory {
    /// Resident set size in bytes (`VmRSS` of /proc/self/status); nil where there is no /proc.
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// `123.4 MiB`, or `unknown`.
    static func format(_ bytes: Int?) -> String {
        guard let bytes else { return "unknown" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
