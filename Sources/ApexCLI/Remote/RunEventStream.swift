import ApexDSL
import ApexLLM
import Foundation
import NIOCore

/// One run's live stream from a server, `GET /v1/runs/{id}/events` (docs/server.md, "Live
/// streams"), read to its `end`: the stored events after a seq, then each one as it commits,
/// with the live text of llm replies in between.
///
/// A stream that the server ends early (`shutdown`, `slow_consumer`) or that breaks is opened
/// again with `Last-Event-ID`, so no event is missed or delivered twice; after five failed
/// attempts in a row (a second apart) the server counts as unreachable.
struct RunEventStream {
    /// What the stream delivers.
    enum Item {
        /// Stored events, in seq order, as their JSON (`{"seq", "type", "at", …, "run_id"}`):
        /// those that arrived together.
        case events([JSONValue])
        /// A piece of a running llm call's reply: `{run_id, step, visit, attempt, text}`.
        case delta(JSONValue)
    }

    let client: APIClient
    let runID: String

    /// How many failed attempts in a row to open or read the stream are retried.
    static let retries = 5

    /// Reads the events after seq `after` until the run's final one, handing each batch to
    /// `receive` in order.
    ///
    /// - Throws: ``APIError`` (an unknown run is its `problem` with ``APIProblem/isUnknownRun``),
    ///   or what `receive` throws.
    func read(after: Int, _ receive: (Item) async throws -> Void) async throws {
        // What `receive` throws ends the reading, rather than counting as a broken connection.
        func deliver(_ item: Item) async throws {
            do { try await receive(item) } catch { throw ReceiveFailure(underlying: error) }
        }
        var last = after
        var failures = 0
        let path = APIClient.runPath(runID, "/events")
        while true {
            do {
                let body = try await client.stream(path, lastEventID: last > 0 ? last : nil)
                var parser = SSEParser()
                var ended = false
                var sawEnd = false
                reading: for try await chunk in body {
                    failures = 0
                    var batch: [JSONValue] = []
                    for event in parser.feed(chunk.readableBytesView) {
                        switch event.event {
                        case "end":
                            // `finished` after the final event; `shutdown` and `slow_consumer`: open it again.
                            sawEnd = true
                            ended = (try? JSONValue(parsing: event.data))?["reason"]?.stringValue == "finished"
                            if !batch.isEmpty { try await deliver(.events(batch)) }
                            batch = []
                            break reading
                        case "heartbeat":
                            continue
                        case "llm.delta":
                            if !batch.isEmpty { try await deliver(.events(batch)) }
                            batch = []
                            if let delta = try? JSONValue(parsing: event.data) { try await deliver(.delta(delta)) }
                        default:
                            guard let json = try? JSONValue(parsing: event.data), case .int(let seq)? = json["seq"] else {
                                throw APIError.unexpected(server: client.base, "the event stream of run \(runID) sent an event that is not a stored event")
                            }
                            guard seq > last else { continue }
                            last = seq
                            batch.append(json)
                        }
                    }
                    if !batch.isEmpty { try await deliver(.events(batch)) }
                }
                if ended { return }
                // Ended early by the server, or closed: open it again, a second later if it keeps closing.
                if !sawEnd { failures += 1 }
            } catch let error as APIError {
                guard case .unreachable = error, failures < Self.retries else { throw error }
                failures += 1
            } catch let failure as ReceiveFailure {
                throw failure.underlying
            } catch {
                // The connection broke while reading: open the stream again from the last event.
                if Task.isCancelled { throw CancellationError() }
                guard failures < Self.retries else { throw APIError.unreachable(server: client.base, reason: "\(error)") }
                failures += 1
            }
            if failures > 0 { try await Task.sleep(for: .seconds(1)) }
        }
    }
}

/// An error thrown by `receive` inside the body loop, told apart from the body's own.
private struct ReceiveFailure: Error {
    var underlying: any Error
}
