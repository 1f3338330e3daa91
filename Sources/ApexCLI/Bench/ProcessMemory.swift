import Foundation

/// This process's memory and CPU time, as the kernel reports them.
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

    /// CPU time this process has used, user and system, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// The largest resident set size of this process, sampled every 50 ms until ``stop()``.
final class PeakMemorySampler: Sendable {
    private let peak = PeakMemory()
    private let task: Task<Void, Never>

    init() {
        let peak = peak
        task = Task {
            while !Task.isCancelled {
                peak.sample()
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    /// Stops sampling; the peak.
    func stop() -> Int? {
        task.cancel()
        peak.sample()
        return peak.bytes
    }
}

/// The largest resident set size sampled.
private final class PeakMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var peak: Int?

    var bytes: Int? { lock.withLock { peak } }

    func sample() {
        guard let now = ProcessMemory.residentBytes() else { return }
        lock.withLock { peak = max(peak ?? 0, now) }
    }
}
