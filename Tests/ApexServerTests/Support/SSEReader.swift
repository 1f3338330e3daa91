import AsyncHTTPClient
import Foundation
import NIOCore

/// One Server-Sent Event as a client sees it.
struct SSEEvent: Equatable {
    var id: String?
    var name: String
    var data: String
}

/// Reads a Server-Sent Events response event by event (heartbeats and the retry line included
/// as they come; comments skipped).
final class SSEReader {
    let status: Int
    let contentType: String?
    private var chunks: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""

    static func open(_ url: String, headers: [(String, String)] = []) async throws -> SSEReader {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return SSEReader(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                         chunks: response.body.makeAsyncIterator())
    }

    private init(status: Int, contentType: String?, chunks: HTTPClientResponse.Body.AsyncIterator) {
        self.status = status
        self.contentType = contentType
        self.chunks = chunks
    }

    /// The next event, nil when the stream has ended.
    func next() async throws -> SSEEvent? {
        while true {
            if let range = buffer.range(of: "\n\n") {
                let block = String(buffer[..<range.lowerBound])
                buffer.removeSubrange(..<range.upperBound)
                var event = SSEEvent(id: nil, name: "message", data: "")
                var sawField = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(":") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let field = line[..<colon]
                    var value = line[line.index(after: colon)...]
                    if value.hasPrefix(" ") { value = value.dropFirst() }
                    switch field {
                    case "id": event.id = String(value)
                    case "event": event.name = String(value)
                    case "data": event.data += event.data.isEmpty ? String(value) : "\n" + value
                    default: continue
                    }
                    sawField = true
                }
                if sawField { return event }
                continue
            }
            guard let chunk = try await chunks.next() else { return nil }
            buffer += String(buffer: chunk)
        }
    }

    /// Events until (and with) the first named `name`.
    func events(through name: String) async throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while let event = try await next() {
            events.append(event)
            if event.name == name { break }
        }
        return events
    }
}
