import ApexDSL
import AsyncHTTPClient
import Foundation
import NIOCore

/// The measurements of `apex bench api`, made as a client would over HTTP/1.1 keep-alive.
struct APIBench {
    let base: String
    let console: Console

    static let quick = """
        apex: 1
        name: bench-api
        steps:
          - id: only
            set: {done: true}
        output: ${{ steps.only.output.done }}
        """

    static let gate = """
        apex: 1
        name: bench-gate
        steps:
          - id: gate
            wait: {signal: go}
        """

    func measure(starts: Int, clients: Int, seconds: Double, signals: Int) async throws {
        _ = try await post("/v1/workflows", ["source": .string(Self.quick)], expecting: 201)
        _ = try await post("/v1/workflows", ["source": .string(Self.gate)], expecting: 201)

        for _ in 0..<50 { _ = try await post("/v1/runs", ["workflow": "bench-api"], expecting: 201) }
        var latency = LatencySample()
        for _ in 0..<starts {
            let began = DispatchTime.now().uptimeNanoseconds
            _ = try await post("/v1/runs", ["workflow": "bench-api"], expecting: 201)
            latency.record(LatencySample.elapsed(since: began))
        }
        console.output.writeLine("api start (POST /v1/runs, 1 client)       \(latency.summary(of: "starts"))")

        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let began = DispatchTime.now().uptimeNanoseconds
        let started = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var count = 0
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        _ = try await post("/v1/runs", ["workflow": "bench-api"], expecting: 201)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let rate = Double(started) / (LatencySample.elapsed(since: began) / 1000)
        console.output.writeLine("api starts per second (\(clients) clients)       \(String(format: "%.0f", rate)) starts/s  (\(started) in \(String(format: "%.1f", seconds)) s)")

        var delay = LatencySample()
        for index in 0..<signals {
            let id = "gate-\(index)-\(UUID().uuidString.prefix(8))"
            _ = try await post("/v1/runs", ["workflow": "bench-gate", "id": .string(id)], expecting: 201)
            delay.record(try await signalToSubscriber(runID: id))
        }
        console.output.writeLine("api signal POST to SSE subscriber           \(delay.summary(of: "signals"))")

        // The web UI draws a run with its graph as SVG: laid out and rendered per request.
        _ = try await post("/v1/workflows", ["source": .string(SyntheticWorkflow.yaml(steps: 40))], expecting: 201)
        let drawing = try await timeGets("/v1/workflows/synthetic-40/graph?format=svg", count: starts)
        console.output.writeLine("api graph SVG of a 40-step workflow         \(drawing.summary(of: "drawings"))")
        let runGraph = try await timeGets("/v1/runs/gate-0-graph/graph?format=svg", count: starts) {
            _ = try await post("/v1/runs", ["workflow": "bench-gate", "id": "gate-0-graph"], expecting: 201)
        }
        console.output.writeLine("api graph SVG of a waiting run (replayed)   \(runGraph.summary(of: "drawings"))")
    }

    /// Times `count` GETs of `path` (after `prepare` and 20 untimed ones).
    private func timeGets(_ path: String, count: Int, prepare: () async throws -> Void = {}) async throws -> LatencySample {
        try await prepare()
        var sample = LatencySample()
        for index in 0..<(count + 20) {
            let began = DispatchTime.now().uptimeNanoseconds
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            guard response.status.code == 200 else { throw BenchFailure("GET \(path) answered \(response.status.code): \(String(buffer: bytes))") }
            if index >= 20 { sample.record(LatencySample.elapsed(since: began)) }
        }
        return sample
    }

    /// Opens the run's stream, reads its stored events, POSTs the signal and times until the
    /// stream shows it.
    private func signalToSubscriber(runID: String) async throws -> Double {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/v1/runs/\(runID)/events"), timeout: .seconds(30))
        var chunks = response.body.makeAsyncIterator()
        var text = ""
        while !text.contains("event: StepScheduled") {
            guard let chunk = try await chunks.next() else { throw BenchFailure("the stream of \(runID) ended early") }
            text += String(buffer: chunk)
        }
        let began = DispatchTime.now().uptimeNanoseconds
        _ = try await post("/v1/runs/\(runID)/signals/go", .null, expecting: 202)
        while !text.contains("event: SignalReceived") {
            guard let chunk = try await chunks.next() else { throw BenchFailure("the stream of \(runID) ended early") }
            text += String(buffer: chunk)
        }
        return LatencySample.elapsed(since: began)
    }

    private func post(_ path: String, _ body: JSONValue, expecting status: UInt) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.compactJSON))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == status else {
            throw BenchFailure("POST \(path) answered \(response.status.code): \(String(buffer: bytes))")
        }
        return bytes
    }
}
