import ApexDSL
import Testing

@testable import ApexEngine

/// The retry schedule of docs/language.md, "Retry policy": which failures are retried, and the
/// delays between attempts.
@Suite struct RetryPolicyScheduleTests {
    static func policy(maxAttempts: Int = 3, initial: Duration = .seconds(1), backoff: Double = 2, maxInterval: Duration? = nil,
                       jitter: Double = 0, nonRetryable: [String] = []) -> RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = maxAttempts
        policy.initialInterval = initial
        policy.backoff = backoff
        policy.maxInterval = maxInterval
        policy.jitter = jitter
        policy.nonRetryable = nonRetryable
        return policy
    }

    static let retryCases: [(attempt: Int, type: String, details: JSONValue, allowed: Bool)] = [
        (1, "llm.rate_limited", nil, true),
        (2, "llm.server_error", nil, true),
        (3, "llm.server_error", nil, false),
        (1, "timeout", nil, true),
        (1, "llm.auth", nil, false),
        (1, "llm.invalid_request", nil, false),
        (1, "expression", nil, false),
        (1, "cancelled", nil, false),
        (1, "input.invalid", nil, false),
        (1, "http.status", ["status": 503], true),
        (1, "http.status", ["status": 408], true),
        (1, "http.status", ["status": 429], true),
        (1, "http.status", ["status": 500], true),
        (1, "http.status", ["status": 404], false),
        (1, "http.status", ["status": 600], false),
        (1, "http.status", nil, false),
        (1, "http.connection", nil, true),
        (1, "http.invalid_request", nil, false),
        (1, "http.too_large", nil, false),
        (1, "NeedsHuman", nil, true),
        (1, "llm.rate_limited", ["retryable": false], false),
        (1, "llm.overloaded", ["retryable": true], true),
        (1, "http.status", ["status": 503, "retryable": false], false),
    ]

    @Test(arguments: retryCases)
    func allowsRetryFollowsAttemptsAndTheBuiltInNonRetryableTypes(attempt: Int, type: String, details: JSONValue, allowed: Bool) {
        #expect(Self.policy().allowsRetry(afterAttempt: attempt, errorType: type, details: details) == allowed)
    }

    @Test(arguments: [
        ("llm.*", "llm.overloaded", false), ("llm.*", "llmx", true), ("llm.*", "http.status", true),
        ("*", "anything", false), ("NeedsHuman", "NeedsHuman", false), ("NeedsHuman", "NeedsHumans", true),
    ])
    func nonRetryablePatternsMatchExactlyByPrefixOrAll(pattern: String, type: String, allowed: Bool) {
        let policy = Self.policy(nonRetryable: [pattern])
        #expect(policy.allowsRetry(afterAttempt: 1, errorType: type, details: ["status": 503]) == allowed)
    }

    @Test func zeroMaxAttemptsRetriesWithoutLimit() {
        #expect(Self.policy(maxAttempts: 0).allowsRetry(afterAttempt: 10_000, errorType: "timeout", details: nil))
        #expect(Self.policy(maxAttempts: 1).allowsRetry(afterAttempt: 1, errorType: "timeout", details: nil) == false)
    }

    static let delayCases: [(attempt: Int, initial: Int64, backoff: Double, max: Int64?, expected: Int64)] = [
        (1, 1000, 2, nil, 1000),
        (2, 1000, 2, nil, 2000),
        (3, 1000, 2, nil, 4000),
        (8, 1000, 2, nil, 100_000),   // capped at 100 × initial
        (4, 500, 3, 10_000, 10_000),  // 13.5s capped at 10s
        (3, 500, 1, nil, 500),        // backoff 1: constant
        (2, 1500, 1.5, nil, 2250),
        (5000, 1000, 2, 30_000, 30_000),  // no overflow
    ]

    @Test(arguments: delayCases)
    func delayGrowsByBackoffUpToTheMaximum(attempt: Int, initial: Int64, backoff: Double, max: Int64?, expected: Int64) {
        let policy = Self.policy(initial: Duration(milliseconds: initial), backoff: backoff, maxInterval: max.map(Duration.init(milliseconds:)))
        #expect(policy.delay(afterAttempt: attempt, seed: "k#\(attempt)", retryAfter: nil) == Duration(milliseconds: expected))
    }

    @Test func jitterSpreadsWithinItsBoundsAndIsReproducible() {
        let policy = Self.policy(initial: .seconds(10), jitter: 0.2)
        let delays = (0..<500).map { policy.delay(afterAttempt: 1, seed: "run/step/1#\($0)", retryAfter: nil).milliseconds }
        #expect(delays.allSatisfy { (8000...12_000).contains($0) })
        #expect(delays.contains { $0 < 9000 } && delays.contains { $0 > 11_000 }, "the spread uses the whole range")
        #expect(Set(delays).count > 400)
        let again = (0..<500).map { policy.delay(afterAttempt: 1, seed: "run/step/1#\($0)", retryAfter: nil).milliseconds }
        #expect(again == delays)
        #expect(RetryPolicy.unitInterval("run-1/draft/1#1") == RetryPolicy.unitInterval("run-1/draft/1#1"))
        #expect(RetryPolicy.unitInterval("") >= 0 && RetryPolicy.unitInterval("") < 1)
    }

    @Test func jitterAppliesAfterTheCap() {
        let policy = Self.policy(initial: .seconds(1), maxInterval: .seconds(4), jitter: 0.5)
        let delays = (0..<200).map { policy.delay(afterAttempt: 10, seed: "\($0)", retryAfter: nil).milliseconds }
        #expect(delays.allSatisfy { (2000...6000).contains($0) })
    }

    @Test(arguments: [(Int64(500), Int64(2000)), (5000, 5000), (2000, 2000)])
    func retryAfterRaisesTheDelay(retryAfter: Int64, expected: Int64) {
        let policy = Self.policy(initial: .seconds(2))
        #expect(policy.delay(afterAttempt: 1, seed: "s", retryAfter: Duration(milliseconds: retryAfter)) == Duration(milliseconds: expected))
    }

    @Test(arguments: [
        // retry-after, step timeout, expected (ms); without a timeout the ceiling is max_interval (4 s).
        (Int64(300_000), Int64?(30_000), Int64(30_000)),
        (300_000, nil, 4_000),
        (1_500, 30_000, 1_500),
        (1_500, nil, 1_500),
    ])
    func retryAfterStopsAtTheStepTimeoutOrMaxInterval(retryAfter: Int64, timeout: Int64?, expected: Int64) {
        let policy = Self.policy(initial: .seconds(1), maxInterval: .seconds(4))
        let honoured = policy.honoured(retryAfter: Duration(milliseconds: retryAfter), stepTimeout: timeout.map { Duration(milliseconds: $0) })
        #expect(honoured == Duration(milliseconds: expected))
        #expect(policy.honoured(retryAfter: nil, stepTimeout: nil) == nil)
    }
}
