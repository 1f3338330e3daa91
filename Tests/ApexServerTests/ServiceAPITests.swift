import ApexDSL
import Foundation
import Testing

/// Probes, validation, the workflow registry, namespaces and the metrics scrape.
@Suite(.serialized) struct ServiceAPITests {
    @Test func probesAndTheOpenAPIDocumentNeedNoToken() async throws {
        let server = try await TestServer.start(environment: ["APEX_JWT_SECRET": String(repeating: "k", count: 32)])
        #expect(try await HTTP.get("\(server.base)/healthz").json["status"] == "ok")
        #expect(try await HTTP.get("\(server.base)/readyz").json["status"] == "ready")
        let document = try await HTTP.get("\(server.base)/openapi.json")
        #expect(document.status == 200)
        #expect(document.json["openapi"] == "3.1.0")
        let guarded = try await HTTP.get("\(server.base)/v1/runs")
        #expect(guarded.status == 401)
        #expect(guarded.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
        #expect(guarded.headers.first(name: "x-request-id") != nil)
        try await server.stop()
    }

    @Test func validateAnswersTheDiagnosticsOfApexValidate() async throws {
        let server = try await TestServer.start(worker: false)
        let good = try await HTTP.post("\(server.base)/v1/validate", ["source": .string(Workflows.approval)])
        #expect(good.status == 200)
        #expect(good.json["errors"] == 0)
        let bad = try await HTTP.post("\(server.base)/v1/validate", ["source": .string(Workflows.broken), "path": "flows/broken.yaml"])
        #expect(bad.status == 200)
        let file = bad.json["files"]?.arrayValue?.first
        #expect(file?["path"] == "flows/broken.yaml")
        // As `apex validate --format json broken.yaml` gives them.
        let diagnostics = file?["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.map { $0["rule"] } == ["step-action", "unknown-key"])
        #expect(diagnostics.map { [$0["line"], $0["column"], $0["end_line"], $0["end_column"]] } == [[4, 9, 4, 10], [5, 5, 5, 11]])
        #expect(diagnostics.last?["message"] == "unknown key \"sleeep\" in a step; did you mean \"sleep\"?")
        #expect(bad.json["errors"] == 2)
        let missing = try await HTTP.post("\(server.base)/v1/validate", ["path": "x.yaml"])
        #expect(missing.status == 400)
        try await server.stop()
    }

    @Test func registeredWorkflowsAreVersionedAndStartedByName() async throws {
        let server = try await TestServer.start(worker: false)
        let first = try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(Workflows.approval)])
        #expect(first.status == 201)
        #expect(first.json["name"] == "approval")
        #expect(first.json["version"] == 1)
        let same = try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(Workflows.approval)])
        #expect(same.json["version"] == 1)
        let changed = Workflows.approval.replacingOccurrences(of: "signal: approve", with: "signal: approve\n      timeout: 1h")
        let second = try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(changed)])
        #expect(second.json["version"] == 2)
        let list = try await HTTP.get("\(server.base)/v1/workflows")
        #expect(list.json["workflows"]?.arrayValue?.map { $0["version"] } == [2])
        let detail = try await HTTP.get("\(server.base)/v1/workflows/approval")
        #expect(detail.json["versions"]?.arrayValue?.count == 2)
        #expect(detail.json["source"]?.stringValue?.contains("timeout: 1h") == true)
        #expect(try await HTTP.get("\(server.base)/v1/workflows/nope").status == 404)
        let invalid = try await HTTP.post("\(server.base)/v1/workflows", ["source": .string(Workflows.broken)])
        #expect(invalid.status == 422)

        let newest = try await HTTP.post("\(server.base)/v1/runs", ["workflow": "approval", "input": ["amount": 1]])
        #expect(newest.status == 201)
        #expect(newest.json["definition_hash"] == second.json["hash"])
        let pinned = try await HTTP.post("\(server.base)/v1/runs", ["workflow": "approval", "hash": first.json["hash"]!, "input": ["amount": 1]])
        #expect(pinned.json["definition_hash"] == first.json["hash"])
        let wrongHash = try await HTTP.post("\(server.base)/v1/runs", ["workflow": "approval", "hash": "abc", "input": ["amount": 1]])
        #expect(wrongHash.status == 422)
        try await server.stop()
    }

    @Test func namespacesKeepRunsApart() async throws {
        let server = try await TestServer.start(worker: false)
        let started = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "same"), headers: [("X-Apex-Namespace", "billing")])
        #expect(started.status == 201)
        #expect(started.json["namespace"] == "billing")
        #expect(try await HTTP.get("\(server.base)/v1/runs/same").status == 404)
        #expect(try await HTTP.get("\(server.base)/v1/runs/same", headers: [("X-Apex-Namespace", "billing")]).status == 200)
        #expect(try await HTTP.get("\(server.base)/v1/runs", headers: [("X-Apex-Namespace", "bad name!")]).status == 400)
        try await server.stop()
    }

    @Test func metricsAreScrapedInPrometheusTextFormat() async throws {
        let server = try await TestServer.start()
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.approval, id: "m-1"))
        _ = try await HTTP.post("\(server.base)/v1/runs/m-1/signals/approve", ["approved": true])
        _ = try await HTTP.post("\(server.base)/v1/runs", Workflows.start(Workflows.oneLLM, input: [:], id: "m-2"))
        _ = try await HTTP.get("\(server.base)/v1/runs/nope")
        var samples: [String: Double] = [:]
        for _ in 0..<100 {
            let scrape = try await HTTP.get("http://127.0.0.1:\(try #require(server.metricsPort))/metrics")
            #expect(scrape.headers.first(name: "content-type")?.hasPrefix("text/plain") == true)
            samples = try PrometheusText.parse(scrape.body)
            if samples[#"apex_runs_completed_total{status="completed"}"#] == 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(samples["apex_runs_started_total"] == 2)
        #expect(samples[#"apex_runs_completed_total{status="completed"}"#] == 2)
        #expect(samples.keys.contains { $0.hasPrefix("apex_llm_tokens_total{") && $0.contains(#"provider="mock""#) && $0.contains(#"model="m""#) })
        #expect(samples.keys.contains { $0.hasPrefix("apex_http_requests_total{") && $0.contains(#"status="404""#) && $0.contains(#"route="/v1/runs/{id}""#) })
        #expect(samples.keys.contains { $0.hasPrefix("apex_step_duration_seconds_bucket{") && $0.contains(#"kind="wait""#) })
        #expect(samples.keys.contains { $0.hasPrefix("apex_store_commit_seconds_count") })
        #expect(samples["apex_runs_active"] != nil)
        try await server.stop()
    }
}

/// Parses Prometheus's text exposition format strictly enough to catch a malformed line:
/// `# HELP`/`# TYPE` comments, then `name{labels} value` samples.
enum PrometheusText {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        let sample = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (\S+)( \d+)?$"#)
        for line in text.split(separator: "\n") where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw Malformed(description: String(line)) }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let match = try sample.wholeMatch(in: String(line)) else { throw Malformed(description: String(line)) }
            let valueText = String(line.split(separator: " ")[1])
            guard let value = Double(valueText) ?? (valueText == "+Inf" ? .infinity : nil) else { throw Malformed(description: String(line)) }
            _ = match
            samples[String(line.split(separator: " ")[0])] = value
        }
        return samples
    }
}
