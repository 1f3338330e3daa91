import ApexDSL
import Foundation
import Testing

/// `apex bench peers` as `scripts/bench-peers.sh` runs it: the real binary, the JSON lines the
/// comparison table reads, and the crash scenario's promise (a SIGKILLed `apex run`, then
/// `apex resume`: no finished step runs twice). Figures are not checked: timing belongs in
/// the bench, not in tests.
@Suite struct BenchPeersTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
    }

    @Test func quickRunWritesOneLinePerScenarioInThePeersShapes() async throws {
        let out = folder.path + "/apex.jsonl"
        let result = try await apex("bench", "peers", "--quick", "--timers", "20", "--json-out", out)
        #expect(result.status == 0, "\(result.error)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(lines.map { $0["test"]?.stringValue } == ["a_start_latency", "b_e2e_1activity", "c_per_activity", "e_throughput",
                                                          "d_concurrency_timers", "f_crash_recovery"])
        for line in lines {
            #expect(line["system"] == "apex" && line["config"] == "apex-sqlite")
        }
        for latency in [lines[0], lines[1], try #require(lines[3]["latency"])] {
            for key in ["n", "p50_ms", "p95_ms", "p99_ms", "min_ms", "max_ms"] { #expect(latency[key] != nil, "\(key)") }
        }
        #expect(lines[0]["n"] == 50 && lines[1]["n"] == 30)
        #expect(lines[2]["steps"] == 50 && lines[2]["per_activity_ms_median"] != nil && lines[2]["cpu_ms_per_activity_apex"] != nil)
        #expect(lines[3]["n"] == 200 && lines[3]["errors"] == 0 && lines[3]["wf_per_s"] != nil)
        #expect(lines[4]["n"] == 20 && lines[4]["completed"] == 20 && lines[4]["sleep_s"] == 10 && lines[4]["peak_rss_sum_mb"] != nil)

        // 8 steps, killed once the 4th started. The step in flight at the kill runs again (at
        // most one: the kill may also fall between two steps); no other step runs twice.
        let crash = lines[5]
        #expect(crash["steps"] == 8 && crash["killed_after_step_starts"] == 4 && crash["kill_to_result_s"] != nil)
        let executions = try #require(crash["total_step_executions"]?.numberValue)
        let again = try #require(crash["steps_executed_more_than_once"]?.objectValue)
        #expect(executions == 8 + Double(again.count))
        #expect(again.count <= 1 && again.values.allSatisfy { $0 == 2 })
        #expect(result.output.contains("f. crash: 8 steps of 0.2 s, SIGKILL once step 4 started, apex resume"))
    }

    @Test func badSizesAreUsageErrors() async throws {
        let result = try await apex("bench", "peers", "--timers", "0")
        #expect(result.status == 2)
        #expect(result.error.contains("--timers must be run counts above 0"))
    }
}
