import Foundation

/// Wall-clock durations of repeated runs, summarised as percentiles.
struct LatencySample {
    private(set) var milliseconds: [Double] = []

    /// Runs `body` `iterations` times after one warm-up run, recording each duration.
    static func measure(iterations: Int, _ body: () throws -> Void) rethrows -> LatencySample {
        var sample = LatencySample()
        try body()
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            sample.milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return sample
    }

    /// Runs `body` `iterations` times after one warm-up run, recording each duration.
    static func measureAsync(iterations: Int, _ body: () async throws -> Void) async rethrows -> LatencySample {
        var sample = LatencySample()
        try await body()
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            sample.milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return sample
    }

    /// Adds one measurement, in milliseconds.
    mutating func record(_ value: Double) {
        milliseconds.append(value)
    }

    /// Milliseconds since `start` (a `DispatchTime` uptime in nanoseconds).
    static func elapsed(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    /// The value below which `fraction` of the samples fall (nearest rank).
    func percentile(_ fraction: Double) -> Double {
        guard !milliseconds.isEmpty else { return 0 }
        let sorted = milliseconds.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// `p50 1.23 ms  p95 …  p99 …  (n runs)`
    var summary: String { summary(of: "runs") }

    /// `p50 1.23 ms  p95 …  p99 …  (n <what>)`
    func summary(of what: String) -> String {
        let format = { (value: Double) in String(format: "%.2f ms", value) }
        return "p50 \(format(percentile(0.5)))  p95 \(format(percentile(0.95)))  p99 \(format(percentile(0.99)))  (\(milliseconds.count) \(what))"
    }
}
